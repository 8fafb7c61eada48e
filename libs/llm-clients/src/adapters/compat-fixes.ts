import type { ConnectionHttp } from '../connection-http';
import type { HttpResponse } from '../http-transport';
import type { JsonRecord } from '../json-fields';
import { LlmError } from '../types';

/**
 * A known way a server rejects an otherwise valid body, fixable by one change to it. A 400 whose message names the
 * problem triggers one retry with the fix; each fix applies at most once per request, and nothing else is retried.
 */
export interface CompatFix {
  applies(body: JsonRecord, upstreamMessage: string): boolean;
  apply(body: JsonRecord): JsonRecord;
}

/** Posts `body`, retrying with each fix whose 400 it meets (the adapters' sampling and token-limit quirks). */
export async function postWithFixes(
  http: ConnectionHttp,
  url: URL,
  body: JsonRecord,
  fixes: readonly CompatFix[],
  signal: AbortSignal | undefined,
  accept?: string,
): Promise<HttpResponse> {
  const applied = new Set<CompatFix>();
  let current = body;
  for (;;) {
    try {
      return await http.post(url, current, signal, accept);
    } catch (error) {
      if (!(error instanceof LlmError) || error.kind !== 'bad_request') throw error;
      const fix = fixes.find((candidate) => !applied.has(candidate) && candidate.applies(current, error.message));
      if (!fix) throw error;
      applied.add(fix);
      current = fix.apply(current);
    }
  }
}

/** Leaves `field` out of the body. */
export function without(body: JsonRecord, field: string): JsonRecord {
  const { [field]: _dropped, ...rest } = body;
  return rest;
}

/**
 * Reasoning models refuse sampling settings: OpenAI's o-series and GPT-5 take only the default temperature
 * ("Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is
 * supported.", "Unsupported parameter: 'top_p' is not supported with this model."). One fix per field: the one
 * the message names is left out, and the model's own default applies.
 */
export const unsupportedSamplingFixes = (fields: readonly string[]): CompatFix[] =>
  fields.map((field) => ({
    applies: (body, message) =>
      field in body &&
      new RegExp(`['"\`]?${field}['"\`]?`).test(message) &&
      /unsupported|not supported|does not support|only the default/i.test(message),
    apply: (body) => without(body, field),
  }));
