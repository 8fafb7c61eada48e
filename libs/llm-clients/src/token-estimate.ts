import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ChatMessage, TokenUsage } from './types';

type TokenCounter = (text: string) => number;

// Loaded on first use: the BPE table costs ~70 ms and tens of MB, and most upstreams report usage themselves.
let counter: Promise<TokenCounter> | undefined;

function loadCounter(): Promise<TokenCounter> {
  counter ??= import('gpt-tokenizer/encoding/cl100k_base').then(
    // Text is counted as text: a prompt quoting `<|endoftext|>` must not make the estimate throw.
    (tokenizer): TokenCounter =>
      (text) =>
        tokenizer.countTokens(text, { disallowedSpecial: new Set() }),
    (): TokenCounter => (text) => Math.ceil(text.length / 4),
  );
  return counter;
}

/** Chat formats add a few tokens per message for the role and separators (OpenAI's published rule of thumb). */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REPLY_PRIMING = 3;

/**
 * BPE merging is quadratic in the length of one pre-tokenised piece, and a run without spaces is one piece: 40,000
 * "。" took 11 s of a blocked event loop. Text is therefore counted in slices of at most this many characters, cut
 * before a whitespace where there is one (a word's leading space stays with it): a few tokens more per megabyte.
 */
const SLICE_CHARS = 256;
/** Slices counted between two turns of the event loop (each is well under a millisecond). */
const SLICES_PER_TURN = 32;
/** Beyond this many characters the rest is extrapolated from what was counted. */
const COUNTED_CHARS = 1_000_000;

function cutAt(text: string, start: number): number {
  const end = start + SLICE_CHARS;
  if (end >= text.length) return text.length;
  for (let at = end; at > start + SLICE_CHARS / 2; at--) {
    const code = text.charCodeAt(at);
    if (code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d) return at;
  }
  // No whitespace: never between the two halves of a surrogate pair.
  const previous = text.charCodeAt(end - 1);
  return previous >= 0xd800 && previous <= 0xdbff ? end - 1 : end;
}

/** Tokens in `text`, without holding the event loop for long whatever the text. */
async function countTokens(count: TokenCounter, text: string, budget: { slices: number }): Promise<number> {
  if (text.length <= SLICE_CHARS) return text ? count(text) : 0;
  const counted = Math.min(text.length, COUNTED_CHARS);
  let tokens = 0;
  for (let start = 0; start < counted;) {
    const end = cutAt(text, start);
    tokens += count(text.slice(start, end));
    start = end;
    if (++budget.slices % SLICES_PER_TURN === 0) await nextTurn();
  }
  return counted < text.length ? Math.round((tokens * text.length) / counted) : tokens;
}

/**
 * Usage for upstreams that report none (vLLM without `include_usage`, old servers, cut-off streams). cl100k is
 * not the model's own tokenizer, so this is an estimate and is marked as one wherever it is emitted.
 */
export async function estimateUsage(messages: readonly ChatMessage[], completion: string): Promise<TokenUsage> {
  const count = await loadCounter();
  const budget = { slices: 0 };
  let promptTokens = TOKENS_PER_REPLY_PRIMING;
  for (const message of messages)
    promptTokens += TOKENS_PER_MESSAGE + (await countTokens(count, message.content, budget));
  return { promptTokens, completionTokens: await countTokens(count, completion, budget) };
}

/** Tokens in an answer's text, estimated as `estimateUsage` counts its completion. */
export async function estimateTokens(text: string): Promise<number> {
  return countTokens(await loadCounter(), text, { slices: 0 });
}
