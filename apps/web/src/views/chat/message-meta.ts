import { generationRate, type Message } from '@modelyard/contracts';

export interface MessageMetrics {
  promptTokens: number | null;
  completionTokens: number | null;
  ttftMs: number | null;
  totalMs: number | null;
  /** Completion tokens per second of generation (after the first token); null when that would not mean anything. */
  tokensPerSecond: number | null;
  /** The counts (and so the speed) were estimated from the text, not reported by the model. */
  estimated: boolean;
}

/**
 * The figures of an ended answer. A failed one shows its token counts only: the stream's `error` event carries no
 * times (the stored message does), so timings would appear only after a reload; this way it reads the same live and
 * reloaded, and a speed cut short by a failure is not a speed.
 */
export function messageMetrics(
  message: Pick<Message, 'usage' | 'ttftMs' | 'totalMs'> & Partial<Pick<Message, 'status'>>,
): MessageMetrics {
  const failed = message.status === 'error';
  const completion = message.usage?.completionTokens ?? null;
  const ttft = failed ? null : (message.ttftMs ?? null);
  const total = failed ? null : (message.totalMs ?? null);
  return {
    promptTokens: message.usage?.promptTokens ?? null,
    completionTokens: completion,
    ttftMs: ttft,
    totalMs: total,
    tokensPerSecond: generationRate(completion, ttft, total),
    estimated: message.usage?.estimated === true,
  };
}

/** A count with the locale's thousands separators ("12,345"). */
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
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
