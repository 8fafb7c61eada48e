import type { ChatResult, RawStreamEvent } from './types';

/**
 * What a model sends is stored as it is shown, so it must be storable: PostgreSQL refuses U+0000 in text and jsonb
 * (an answer holding one could never be saved), and a finish reason is a short name, not a document.
 */
export const MAX_FINISH_REASON_CHARS = 100;

export function withoutNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}

export function finishReasonOf(reason: string): string {
  const clean = withoutNul(reason);
  return clean.length > MAX_FINISH_REASON_CHARS ? clean.slice(0, MAX_FINISH_REASON_CHARS) : clean;
}

/** The event itself when nothing needs changing (the common case costs one `includes` per text). */
export function storableEvent(event: RawStreamEvent): RawStreamEvent {
  switch (event.type) {
    case 'content':
    case 'reasoning': {
      const text = withoutNul(event.text);
      return text === event.text ? event : { ...event, text };
    }
    case 'done': {
      const finishReason = finishReasonOf(event.finishReason);
      return finishReason === event.finishReason ? event : { ...event, finishReason };
    }
    case 'error': {
      const message = withoutNul(event.message);
      return message === event.message ? event : { ...event, message };
    }
    default:
      return event;
  }
}

export function storableResult(result: ChatResult): ChatResult {
  return {
    ...result,
    content: withoutNul(result.content),
    reasoning: withoutNul(result.reasoning),
    finishReason: finishReasonOf(result.finishReason),
  };
}
