import type { CompareAnswer } from '@modelyard/contracts';
import type { ColumnEvent } from '@/api/compare';
import { formatDuration, formatRate, messageMetrics } from '@/views/chat/message-meta';
import {
  applyGenerationEvent,
  initialStreamState,
  isFinished,
  placedFrom,
  type StreamState,
} from '@/views/chat/stream-reducer';

/**
 * One column's answer on the compare and arena pages: the chat's stream state (so the same reducer applies each
 * column's events), plus what only the saved answer knows (speed and cost worked out by the server, the rating).
 */
export interface ColumnAnswer extends StreamState {
  tokensPerSecond: number | null;
  estimatedCost: number | null;
  rating: { stars: number; note: string | null } | null;
  /** When the column was sent, then when it started (its `meta`), by the client's clock: its live timers' start. */
  startedAt: number | null;
  /**
   * Followed again after a reload: its events so far were replayed at once, so their arrival says nothing about
   * when they happened. The timer runs from the turn's start on the server; the first token's time is the server's.
   */
  reattached: boolean;
}

export function streamingAnswer(now = Date.now()): ColumnAnswer {
  return {
    ...initialStreamState(),
    tokensPerSecond: null,
    estimatedCost: null,
    rating: null,
    startedAt: now,
    reattached: false,
  };
}

/**
 * A column still answering when the page (re)opened, started at `startedAt` (the turn's time on the server), with the
 * time to its first token if the server had saved it.
 */
export function reattachedAnswer(startedAt: number, ttftMs: number | null = null): ColumnAnswer {
  return { ...streamingAnswer(startedAt), ttftMs, reattached: true };
}

export function answerFromServer(answer: CompareAnswer): ColumnAnswer {
  return {
    ...initialStreamState({
      generationId: answer.generationId,
      assistantMessageId: answer.messageId,
      reasoning: answer.reasoning ?? '',
      content: answer.content,
      status: answer.status,
      usage: answer.usage,
      ttftMs: answer.ttftMs,
      totalMs: answer.totalMs,
      reasoningMs: answer.reasoningMs,
      error: answer.error,
    }),
    tokensPerSecond: answer.tokensPerSecond,
    estimatedCost: answer.estimatedCost,
    rating: answer.rating,
    startedAt: null,
    reattached: false,
  };
}

/**
 * Applies one column's event to the answers of a turn; returns a new array (the others are the same objects). A
 * column the client did not know of yet starts streaming. An arena side's `meta` only carries its label (the
 * model stays anonymous): it changes nothing.
 */
export function applyColumnEvent(
  answers: readonly (ColumnAnswer | null)[],
  { column, event }: ColumnEvent,
  now = Date.now(),
): (ColumnAnswer | null)[] {
  const next = answers.slice();
  while (next.length <= column) next.push(null);
  let current = next[column] ?? streamingAnswer(now);
  // The live timers run from the column's start on the server, as its own figures do (not from when the run was
  // sent: creating the run's columns took part of that).
  if (event.event === 'meta' && !current.reattached) current = { ...current, startedAt: now };
  if (event.event === 'meta' && typeof event.data.generationId !== 'string') {
    next[column] = current;
    return next;
  }
  const state = applyGenerationEvent(current, event, now);
  // A reattached column is placed from the turn's start on the server (see placedFrom).
  const updated = state === current ? current : { ...current, ...state };
  next[column] = updated.reattached && updated.startedAt !== null ? placedFrom(updated, updated.startedAt) : updated;
  return next;
}

export const isStreaming = (answer: ColumnAnswer | null) => answer !== null && !isFinished(answer);

/** The column with the shortest total time among the complete answers (as the server works it out); null if none. */
export function fastestColumn(answers: readonly (ColumnAnswer | null)[]): number | null {
  let best: number | null = null;
  let bestMs = Infinity;
  answers.forEach((answer, column) => {
    if (answer?.status !== 'complete' || answer.totalMs === null) return;
    if (answer.totalMs < bestMs) {
      best = column;
      bestMs = answer.totalMs;
    }
  });
  return best;
}

export interface AnswerMetrics {
  ttftMs: number | null;
  /** The server's total, or while streaming the time since it was sent. */
  totalMs: number | null;
  reasoningMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  tokensPerSecond: number | null;
  estimatedCost: number | null;
  /** True while the figures are the client's live estimate (the server's own arrive with `done`). */
  live: boolean;
  /** The token counts and speed are counted from the text (so far), not reported by the model. */
  estimated: boolean;
}

/** A word in an alphabetic script (Latin, Greek, Cyrillic), or any other single visible character. */
const PIECE = /[A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+|\S/gu;
/** Common words are one token; longer ones split about every eight characters. */
const WORD_CHARS_PER_TOKEN = 8;

/**
 * Tokens in streamed text, roughly, as the common BPE vocabularies cut it: a common word is one token, a long one a
 * few, a punctuation mark or a CJK character about one. Good for a live figure the model's own count replaces when
 * the answer ends; not for billing.
 */
export function roughTokenCount(text: string): number {
  let tokens = 0;
  for (const [piece] of text.matchAll(PIECE)) tokens += 1 + Math.floor((piece.length - 1) / WORD_CHARS_PER_TOKEN);
  return tokens;
}

/** Below this much streaming time a speed says more about the network than the model. */
const MIN_LIVE_SPEED_MS = 500;

/** What the metrics row of a column shows: the server's figures once it ended, a live estimate before. */
export function answerMetrics(answer: ColumnAnswer, now = Date.now()): AnswerMetrics {
  if (isFinished(answer)) {
    const computed = messageMetrics({
      usage: answer.usage ?? undefined,
      ttftMs: answer.ttftMs ?? undefined,
      totalMs: answer.totalMs ?? undefined,
    });
    return {
      ttftMs: answer.ttftMs,
      totalMs: answer.totalMs,
      reasoningMs: answer.reasoningMs,
      promptTokens: computed.promptTokens,
      completionTokens: computed.completionTokens,
      tokensPerSecond: answer.tokensPerSecond ?? computed.tokensPerSecond,
      estimatedCost: answer.estimatedCost,
      live: false,
      estimated: computed.estimated,
    };
  }
  const start = answer.startedAt;
  const firstToken = firstTokenAt(answer);
  const reasoningEnd = answer.answerStartedAt ?? (answer.reasoningStartedAt !== null ? now : null);
  // Output so far, as the model reported it if it did (some send usage as they go), else counted from the text; the
  // speed runs from the first token, as the server's own does.
  const reported = answer.usage?.completionTokens ?? null;
  const outputTokens =
    reported ??
    (answer.reasoning || answer.content ? roughTokenCount(answer.reasoning) + roughTokenCount(answer.content) : null);
  const generatingMs = firstToken !== null ? now - firstToken : 0;
  return {
    // The server's own figure as soon as the first text brings it; the client's clock only before that.
    ttftMs:
      answer.ttftMs ??
      (!answer.reattached && start !== null && firstToken !== null ? Math.max(0, firstToken - start) : null),
    totalMs: start !== null ? Math.max(0, now - start) : null,
    reasoningMs:
      answer.reasoningMs ??
      (answer.reasoningStartedAt !== null && reasoningEnd !== null ? reasoningEnd - answer.reasoningStartedAt : null),
    promptTokens: answer.usage?.promptTokens ?? null,
    completionTokens: outputTokens,
    tokensPerSecond:
      outputTokens !== null && generatingMs >= MIN_LIVE_SPEED_MS ? (outputTokens * 1000) / generatingMs : null,
    estimatedCost: null,
    live: true,
    estimated: reported === null && outputTokens !== null,
  };
}

function firstTokenAt(answer: ColumnAnswer): number | null {
  const times = [answer.reasoningStartedAt, answer.answerStartedAt].filter((t): t is number => t !== null);
  return times.length ? Math.min(...times) : null;
}

export interface FormattedMetric {
  key: 'ttft' | 'total' | 'reasoning' | 'tokens' | 'speed' | 'cost';
  value: string;
}

/** The metrics that are known, formatted for `locale`, in the order the card shows them. */
export function formatMetrics(metrics: AnswerMetrics, locale: string): FormattedMetric[] {
  const out: FormattedMetric[] = [];
  if (metrics.ttftMs !== null) out.push({ key: 'ttft', value: formatDuration(metrics.ttftMs, locale) });
  if (metrics.totalMs !== null) out.push({ key: 'total', value: formatDuration(metrics.totalMs, locale) });
  if (metrics.reasoningMs !== null && metrics.reasoningMs > 0)
    out.push({ key: 'reasoning', value: formatDuration(metrics.reasoningMs, locale) });
  // A live count from the text is marked as the estimate it is ("≈ 120"), until the model's own arrives.
  const about = metrics.estimated ? '≈ ' : '';
  if (metrics.promptTokens !== null || metrics.completionTokens !== null) {
    const n = new Intl.NumberFormat(locale);
    const prompt = metrics.promptTokens === null ? '–' : about + n.format(metrics.promptTokens);
    const completion = metrics.completionTokens === null ? '–' : about + n.format(metrics.completionTokens);
    out.push({ key: 'tokens', value: `${prompt} → ${completion}` });
  }
  if (metrics.tokensPerSecond !== null)
    out.push({ key: 'speed', value: about + formatRate(metrics.tokensPerSecond, locale) });
  if (metrics.estimatedCost !== null) out.push({ key: 'cost', value: formatCost(metrics.estimatedCost, locale) });
  return out;
}

/**
 * A cost estimate in the model config's own price currency (unnamed): enough significant digits to tell tiny
 * amounts apart ("0.00042"), two decimals for larger ones ("1.25").
 */
export function formatCost(value: number, locale: string): string {
  if (value === 0) return new Intl.NumberFormat(locale).format(0);
  if (Math.abs(value) >= 1)
    return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 2 }).format(value);
}
