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
  apply(body: JsonRecord, upstreamMessage: string): JsonRecord;
  /** The fix depends on this request (its prompt's length): not remembered for the model's next requests. */
  perRequest?: boolean;
}

/** The fixes a model on an endpoint needed, applied up front to its next requests (no refused first try). */
const learned = new Map<string, readonly CompatFix[]>();
const LEARNED_LIMIT = 1000;

/** Forgets what was learned (tests whose stub servers may reuse a port). */
export function forgetLearnedFixes(): void {
  learned.clear();
}

/**
 * Posts `body`, retrying with each fix whose 400 it meets (the adapters' sampling and token-limit quirks). What a
 * model needed is remembered in this process for that endpoint and model.
 */
export async function postWithFixes(
  http: ConnectionHttp,
  url: URL,
  body: JsonRecord,
  fixes: readonly CompatFix[],
  signal: AbortSignal | undefined,
  accept?: string,
): Promise<HttpResponse> {
  const key = `${url.href} ${String(body.model)}`;
  const known = learned.get(key) ?? [];
  const applied = new Set<CompatFix>(known);
  let current = known.reduce((next, fix) => fix.apply(next, ''), body);
  for (;;) {
    try {
      const response = await http.post(url, current, signal, accept);
      const lasting = [...applied].filter((fix) => !fix.perRequest);
      if (lasting.length > known.length) {
        if (learned.size >= LEARNED_LIMIT) learned.delete(learned.keys().next().value!);
        learned.set(key, lasting);
      }
      return response;
    } catch (error) {
      if (!(error instanceof LlmError) || error.kind !== 'bad_request') throw error;
      const fix = fixes.find((candidate) => !applied.has(candidate) && candidate.applies(current, error.message));
      if (!fix) throw error;
      applied.add(fix);
      current = fix.apply(current, error.message);
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
  fields.map((field) => {
    // The field as a word: `stop` is not named by a message about `stop_sequences`.
    const named = new RegExp(`\\b${field}\\b`);
    return {
      applies: (body, message) => field in body && named.test(message) && UNSUPPORTED.test(message),
      apply: (body) => without(body, field),
    };
  });

/**
 * How servers say a parameter is refused (as opposed to a value out of range); OpenAI says "Unrecognized request
 * argument supplied", pydantic-based servers (vLLM, SGLang) "Extra inputs are not permitted".
 */
export const UNSUPPORTED =
  /unsupported|not supported|does not support|only the default|unrecogni[sz]ed|unknown (parameter|argument|field)|extra (inputs|fields) (are )?not permitted/i;

/**
 * The answer's token limit and the prompt together exceed the model's context (a small local server: vLLM with
 * `max_model_len` 2048 against the default 4,096). The servers say both numbers: OpenAI and vLLM "maximum context
 * length is 2048 tokens. However, you requested 4146 tokens (50 in the messages, 4096 in the completion)", SGLang
 * "maximum context length of 2048 tokens … 50 tokens from the input messages", newer vLLM "maximum context length is
 * 2048 tokens and your request has 50 input tokens" or "… your prompt contains 50 input tokens". The limit becomes what is left;
 * a prompt that alone fills the context is no fixable request.
 */
const CONTEXT_LIMIT = /maximum context length (?:is|of) (\d+)/i;
const PROMPT_TOKENS = /(\d+) (?:tokens )?(?:in|from) the (?:input )?messages|(?:has|contains) (\d+) input tokens/i;

function roomLeft(message: string): number | undefined {
  const limit = Number(CONTEXT_LIMIT.exec(message)?.[1]);
  const promptMatch = PROMPT_TOKENS.exec(message);
  const prompt = Number(promptMatch?.[1] ?? promptMatch?.[2]);
  if (!Number.isFinite(limit) || !Number.isFinite(prompt)) return undefined;
  const left = limit - prompt;
  return left > 0 ? left : undefined;
}

export const contextLengthFix = (field: string): CompatFix => ({
  perRequest: true,
  applies: (body, message) => field in body && roomLeft(message) !== undefined,
  apply: (body, message) => {
    const left = roomLeft(message);
    return left === undefined ? body : { ...body, [field]: Math.min(Number(body[field]), left) };
  },
});
