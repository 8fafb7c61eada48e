import { chatMemory } from './chat-memory';

/** Unsent text, per chat (see chat-memory). Sending (or emptying the box) forgets it. */
const drafts = chatMemory('modelyard.chat.draft.', (value): value is string => typeof value === 'string');

export function readDraft(sessionId: string | null): string {
  return drafts.read(sessionId) ?? '';
}

export function writeDraft(sessionId: string | null, text: string): void {
  drafts.write(sessionId, text.trim() ? text : null);
}
