import type { ResolvedModel } from './scenario-catalog';
import {
  answerTokens,
  longMarkdownText,
  MARKDOWN_XSS_TEXT,
  reasoningTokens,
  splitIntoSmallChunks,
  tokenize,
} from './text-fixtures';

/** One streamed unit. `reasoning` is native reasoning (a separate field); tag scenarios put theirs in `content`. */
export interface TokenPiece {
  kind: 'reasoning' | 'content';
  text: string;
}

/** Protocol-neutral finish; each protocol maps it to its own vocabulary. */
export type FinishKind = 'end' | 'length' | 'stop-sequence';

export interface GenerationInput {
  lastUserText: string;
  /** Budget for every streamed token, reasoning included (as `max_completion_tokens` and Anthropic count them). */
  maxTokens?: number;
  stop: readonly string[];
  /** False when the request turned native reasoning off (Ollama `think:false`, Anthropic `thinking.disabled`). */
  nativeReasoning: boolean;
}

export interface Generation {
  pieces: TokenPiece[];
  finish: FinishKind;
  stopSequence?: string;
  /** Each streamed piece counts as one token. */
  completionTokens: number;
  reasoningText: string;
  contentText: string;
}

function content(texts: string[]): TokenPiece[] {
  return texts.map((text) => ({ kind: 'content', text }));
}

function inlineReasoning(model: ResolvedModel, withOpenTag: boolean): string[] {
  const reasoning = reasoningTokens(model.reasoningTokens);
  const answer = answerTokens(model.answerTokens);
  return [...(withOpenTag ? ['<think>', '\n'] : []), ...reasoning, '\n', '</think>', '\n\n', ...answer];
}

function scriptFor(model: ResolvedModel, input: GenerationInput): TokenPiece[] {
  switch (model.scenario.name) {
    case 'mock-echo':
      return content(tokenize(`You said: ${input.lastUserText}`));
    case 'mock-reasoning':
    case 'mock-reasoning-field': {
      const reasoning: TokenPiece[] = input.nativeReasoning
        ? reasoningTokens(model.reasoningTokens).map((text) => ({ kind: 'reasoning', text }))
        : [];
      return [...reasoning, ...content(answerTokens(model.answerTokens))];
    }
    case 'mock-think-tags':
      return content(inlineReasoning(model, true));
    case 'mock-split-tags':
      return content(splitIntoSmallChunks(inlineReasoning(model, true).join('')));
    case 'mock-orphan-close':
      return content(inlineReasoning(model, false));
    case 'mock-long':
      return content(tokenize(longMarkdownText(model.answerTokens)));
    case 'mock-markdown-xss':
      return content(tokenize(MARKDOWN_XSS_TEXT));
    default:
      return content(answerTokens(model.answerTokens));
  }
}

/**
 * Applies the request's limits the way a real server does while decoding: a stop sequence ends the content where it
 * starts (the sequence itself is not returned) and the token budget cuts whatever comes first.
 */
export function generate(model: ResolvedModel, input: GenerationInput): Generation {
  const script = scriptFor(model, input);
  const stops = input.stop.filter((stop) => stop.length > 0);
  const budget = input.maxTokens ?? Number.POSITIVE_INFINITY;
  const pieces: TokenPiece[] = [];
  let contentText = '';
  let finish: FinishKind = 'end';
  let stopSequence: string | undefined;

  for (const piece of script) {
    if (pieces.length >= budget) {
      finish = 'length';
      break;
    }
    if (piece.kind === 'content' && stops.length > 0) {
      const candidate = contentText + piece.text;
      const hit = earliestStop(candidate, stops, contentText.length);
      if (hit) {
        const kept = candidate.slice(contentText.length, hit.index);
        if (kept.length > 0) pieces.push({ kind: 'content', text: kept });
        contentText = candidate.slice(0, hit.index);
        finish = 'stop-sequence';
        stopSequence = hit.stop;
        break;
      }
    }
    pieces.push(piece);
    if (piece.kind === 'content') contentText += piece.text;
  }

  return {
    pieces,
    finish,
    stopSequence,
    completionTokens: pieces.length,
    reasoningText: pieces
      .filter((piece) => piece.kind === 'reasoning')
      .map((piece) => piece.text)
      .join(''),
    contentText,
  };
}

function earliestStop(
  text: string,
  stops: readonly string[],
  previousLength: number,
): { index: number; stop: string } | undefined {
  let best: { index: number; stop: string } | undefined;
  for (const stop of stops) {
    // Only a match that reaches into the new piece is new; earlier text was already checked.
    const from = Math.max(0, previousLength - stop.length + 1);
    const index = text.indexOf(stop, from);
    if (index >= 0 && (!best || index < best.index)) best = { index, stop };
  }
  return best;
}

/** Rough prompt size: words across every message, which is all a mock needs for plausible usage numbers. */
export function countWords(texts: readonly string[]): number {
  return texts.reduce((total, text) => total + (text.match(/\S+/g)?.length ?? 0), 0);
}
