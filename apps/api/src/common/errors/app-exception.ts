/**
 * Base for every error the platform raises on purpose. Each module defines an enum of codes and an exhaustive
 * code → HTTP status map; the global filter turns any AppException into the standard envelope.
 */
export class AppException extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Builds a module's exception factory from its code → status map, so no code lacks a status. */
export function defineErrors<Code extends string>(statusByCode: Record<Code, number>) {
  return (code: Code, message: string, details?: unknown[], headers?: Record<string, string>) =>
    new AppException(statusByCode[code], code, message, details, headers);
}
