import type { GenerationEvent, Message, MessageStatus, Usage } from '@modelyard/contracts';

/**
 * What the events of one generation add up to. Deltas append; `reclassify` replaces both texts (the server found
 * that earlier text belongs to the other one); `done` and `error` end it. Times are the client's clock (`now`),
 * used for the live "Thinking… 3.2 s" until the server's own figures arrive with `done`.
 */
export interface StreamState {
  generationId: string | null;
  assistantMessageId: string | null;
  userMessageId: string | null;
  model: string | null;
  modelConfigId: string | null;
  reasoning: string;
  content: string;
  status: MessageStatus;
  usage: Usage | null;
  ttftMs: number | null;
  totalMs: number | null;
  reasoningMs: number | null;
  /** Why the model stopped, from `done` (`length`: cut at the token limit). */
  finishReason: string | null;
  error: { code: string; message: string } | null;
  /** When the first reasoning arrived, by the client's clock. */
  reasoningStartedAt: number | null;
  /** When the first answer text arrived, by the client's clock: the thinking ended then. */
  answerStartedAt: number | null;
}

export function initialStreamState(seed: Partial<StreamState> = {}): StreamState {
  return {
    generationId: null,
    assistantMessageId: null,
    userMessageId: null,
    model: null,
    modelConfigId: null,
    reasoning: '',
    content: '',
    status: 'streaming',
    usage: null,
    ttftMs: null,
    totalMs: null,
    reasoningMs: null,
    finishReason: null,
    error: null,
    reasoningStartedAt: null,
    answerStartedAt: null,
    ...seed,
  };
}

export const isFinished = (state: Pick<StreamState, 'status'>) => state.status !== 'streaming';

/** Applies one event; returns a new state (the old one is left as it was). Events after the end are ignored. */
export function applyGenerationEvent(state: StreamState, event: GenerationEvent, now = Date.now()): StreamState {
  if (isFinished(state)) return state;
  switch (event.event) {
    case 'meta':
      return {
        ...state,
        generationId: event.data.generationId,
        assistantMessageId: event.data.assistantMessageId,
        userMessageId: event.data.userMessageId,
        model: event.data.model,
        modelConfigId: event.data.modelConfigId,
      };
    case 'reasoning':
      if (!event.data.text) return state;
      return {
        ...state,
        reasoning: state.reasoning + event.data.text,
        reasoningStartedAt: state.reasoningStartedAt ?? now,
        ttftMs: state.ttftMs ?? event.data.ttftMs ?? null,
      };
    case 'content':
      if (!event.data.text) return state;
      return {
        ...state,
        content: state.content + event.data.text,
        answerStartedAt: state.answerStartedAt ?? now,
        reasoningMs: state.reasoningMs ?? event.data.reasoningMs ?? null,
        ttftMs: state.ttftMs ?? event.data.ttftMs ?? null,
      };
    case 'reclassify': {
      const { reasoning, content } = event.data;
      return {
        ...state,
        reasoning,
        content,
        reasoningMs: reasoning ? (event.data.reasoningMs ?? state.reasoningMs) : null,
        reasoningStartedAt: reasoning ? (state.reasoningStartedAt ?? state.answerStartedAt ?? now) : null,
        answerStartedAt: content ? (state.answerStartedAt ?? now) : null,
      };
    }
    case 'usage':
      return { ...state, usage: event.data };
    case 'done':
      return {
        ...state,
        status: event.data.status,
        ttftMs: event.data.ttftMs,
        totalMs: event.data.totalMs,
        reasoningMs: event.data.reasoningMs ?? state.reasoningMs,
        finishReason: event.data.finishReason ?? null,
      };
    case 'error':
      return { ...state, status: 'error', error: { code: event.data.code, message: event.data.message } };
    default:
      return state;
  }
}

/**
 * A stream replayed after a reload arrives all at once, so the client's clock says nothing about when its thinking and
 * its answer began: they are placed by the server's figures instead, from `origin` (when the generation started, by
 * the server's clock): the first token `ttftMs` after it (at it while unknown), the answer `reasoningMs` after that.
 * Events that arrive live later keep their own, later, times. Chat and compare re-attach through this.
 */
export function placedFrom<T extends StreamState>(state: T, origin: number): T {
  const firstToken = origin + (state.ttftMs ?? 0);
  const reasoningStartedAt = state.reasoningStartedAt === null ? null : Math.min(state.reasoningStartedAt, firstToken);
  const answerBegan =
    state.reasoning === ''
      ? firstToken
      : reasoningStartedAt !== null && state.reasoningMs !== null
        ? reasoningStartedAt + state.reasoningMs
        : null;
  const answerStartedAt =
    state.answerStartedAt === null || answerBegan === null
      ? state.answerStartedAt
      : Math.min(state.answerStartedAt, answerBegan);
  if (reasoningStartedAt === state.reasoningStartedAt && answerStartedAt === state.answerStartedAt) return state;
  return { ...state, reasoningStartedAt, answerStartedAt };
}

/** The message as it stands with the stream applied (what the list shows while streaming, and stores when done). */
export function mergeStream(message: Message, state: StreamState): Message {
  const merged: Message = {
    ...message,
    content: state.content,
    status: state.status,
  };
  if (state.reasoning) merged.reasoning = state.reasoning;
  else delete merged.reasoning;
  if (state.model) merged.model = state.model;
  if (state.modelConfigId) merged.modelConfigId = state.modelConfigId;
  if (state.generationId) merged.generationId = state.generationId;
  if (state.usage) merged.usage = state.usage;
  if (state.ttftMs !== null) merged.ttftMs = state.ttftMs;
  if (state.totalMs !== null) merged.totalMs = state.totalMs;
  if (state.reasoningMs !== null) merged.reasoningMs = state.reasoningMs;
  if (state.finishReason !== null) merged.finishReason = state.finishReason;
  if (state.error) merged.error = state.error;
  return merged;
}
