import { computed, type InjectionKey, inject, provide, reactive } from 'vue';

/** The user's own open/fold choice on a thinking panel, and whether it was made while the model was still thinking. */
export interface ThinkingChoice {
  open: boolean;
  whileThinking: boolean;
}

/** What the user did to one message that must outlive its row: the virtual list unmounts the rows out of view. */
export interface MessageUi {
  /** The question is being edited, and this is the draft; null when not editing. */
  draft: string | null;
  /** The thinking panel as the user left it; null follows the automatic behaviour. */
  thinking: ThinkingChoice | null;
  /** A replayed answer (after a reload) was first seen thinking live at this client time. */
  thinkingSeenAt: number | null;
}

export interface MessageUiState {
  /** The state of a message, created on first use. */
  entry(messageId: string): MessageUi;
  /** Forgets everything (another conversation). */
  clear(): void;
}

/**
 * Per-message UI state, keyed by message id. The map is plain (rows only read their own entry, and entries are
 * created while rendering); each entry is reactive.
 */
export function createMessageUiState(): MessageUiState {
  const entries = new Map<string, MessageUi>();
  return {
    entry(messageId) {
      let entry = entries.get(messageId);
      if (!entry) {
        entry = reactive<MessageUi>({ draft: null, thinking: null, thinkingSeenAt: null });
        entries.set(messageId, entry);
      }
      return entry;
    },
    clear: () => entries.clear(),
  };
}

const key: InjectionKey<MessageUiState> = Symbol('message-ui-state');

/** The list owns the state of its messages. */
export function provideMessageUiState(): MessageUiState {
  const state = createMessageUiState();
  provide(key, state);
  return state;
}

/** A message's own state: the list's when inside one, else private to the component (a message shown alone). */
export function useMessageUi(messageId: () => string) {
  const state = inject(key, null) ?? createMessageUiState();
  return computed(() => state.entry(messageId()));
}
