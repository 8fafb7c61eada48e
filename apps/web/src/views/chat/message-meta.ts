import type { Message } from '@modelyard/contracts';

export interface MessageMetrics {
  promptTokens: number | null;
  completionTokens: number | null;
  ttftMs: number | null;
  totalMs: number | null;
  /** Completion tokens per second of generation (after the first token). */
  tokensPerSecond: number | null;
}

export function messageMetrics(message: Pick<Message, 'usage' | 'ttftMs' | 'totalMs'>): MessageMetrics {
  const completion = message.usage?.completionTokens ?? null;
  const total = message.totalMs ?? null;
  const generating = total !== null ? total - (message.ttftMs ?? 0) : null;
  return {
    promptTokens: message.usage?.promptTokens ?? null,
    completionTokens: completion,
    ttftMs: message.ttftMs ?? null,
    totalMs: total,
    tokensPerSecond: completion && generating && generating > 0 ? completion / (generating / 1000) : null,
  };
}

/** "850 ms", "3.2 s", "14 s", "2 min 5 s". */
export function formatDuration(ms: number, locale: string): string {
  const number = (value: number, digits = 0) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  if (ms < 1000) return `${number(Math.round(ms))} ms`;
  const seconds = ms / 1000;
  if (seconds < 10) return `${number(seconds, 1)} s`;
  if (seconds < 60) return `${number(Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  return `${number(minutes)} min ${number(Math.round(seconds - minutes * 60))} s`;
}

/** Seconds for the thinking label: one decimal under 10 s ("3.2"), whole seconds above ("12"). */
export function formatSeconds(ms: number, locale: string): string {
  const seconds = Math.max(0, ms) / 1000;
  const digits = seconds < 10 ? 1 : 0;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(
    seconds,
  );
}

export function formatRate(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
}
