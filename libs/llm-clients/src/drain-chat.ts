import { LlmError, type ChatResult, type LlmStreamEvent, type RawStreamEvent } from './types';

export interface DrainedChat {
  /** Whatever arrived, also when the stream failed part-way. */
  result: ChatResult;
  /** Set when the stream ended with an `error` event. */
  error?: LlmError;
  /** True when the usage in `result` was estimated locally rather than reported by the upstream. */
  usageEstimated: boolean;
}

/**
 * Collects a stream into one result: the "test this provider / model config" endpoints need the whole answer
 * and the failure, not the deltas. Accepts raw or normalised streams (`reclassify` replaces what came before).
 */
export async function drainChat(events: AsyncIterable<LlmStreamEvent | RawStreamEvent>): Promise<DrainedChat> {
  const result: ChatResult = { content: '', reasoning: '', finishReason: '' };
  let error: LlmError | undefined;
  let usageEstimated = false;
  for await (const event of events) {
    switch (event.type) {
      case 'reasoning':
        result.reasoning += event.text;
        break;
      case 'content':
        result.content += event.text;
        break;
      case 'reclassify':
        result.reasoning = event.reasoning;
        result.content = event.content;
        break;
      case 'usage':
        result.usage = { promptTokens: event.promptTokens, completionTokens: event.completionTokens };
        usageEstimated = event.estimated === true;
        break;
      case 'done':
        result.finishReason = event.finishReason;
        break;
      case 'error':
        error = new LlmError(event.kind, event.message, event.status, event.retryAfterMs);
        result.finishReason = 'error';
        break;
    }
  }
  return { result, ...(error ? { error } : {}), usageEstimated };
}
