import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { CommonErrorCode, commonError } from '../errors/common.errors';

/** The dotted path of the first string (value or key) in `value` that holds a NUL character, if any. */
export function findNulCharacter(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNulCharacter(value[i], [...path, String(i)]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return [...path, key.replaceAll('\u0000', '\\u0000')].join('.');
    const found = findNulCharacter(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Runs before validation on every body and query:
 * - a POST without a body (no content type) validates as an empty object, so routes whose fields are all optional
 *   (regenerate, for one) can be called bare;
 * - text holding NUL characters (U+0000, `\u0000` in JSON, `%00` in a URL) is refused with a 400 naming the field:
 *   PostgreSQL text cannot store it, and letting it through turned into a 500 half-way through the work.
 */
@Injectable()
export class RequestInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    if (metadata.type === 'body' && value === undefined) return {};
    const path = findNulCharacter(value);
    if (path !== undefined) {
      throw commonError(CommonErrorCode.ValidationFailed, 'The request is invalid', [
        { path, message: 'must not contain NUL characters (U+0000)', code: 'invalid_string' },
      ]);
    }
    return value;
  }
}
