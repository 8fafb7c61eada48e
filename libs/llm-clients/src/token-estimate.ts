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
 * Usage for upstreams that report none (vLLM without `include_usage`, old servers, cut-off streams). cl100k is
 * not the model's own tokenizer, so this is an estimate and is marked as one wherever it is emitted.
 */
export async function estimateUsage(messages: readonly ChatMessage[], completion: string): Promise<TokenUsage> {
  const count = await loadCounter();
  const promptTokens = messages.reduce(
    (total, message) => total + TOKENS_PER_MESSAGE + count(message.content),
    TOKENS_PER_REPLY_PRIMING,
  );
  return { promptTokens, completionTokens: completion ? count(completion) : 0 };
}
