/**
 * Unsent text, per chat (a new chat has its own), kept in this browser's localStorage: it survives a reload and
 * stays with its chat when the user looks at another one. Sending (or emptying the box) forgets it.
 */
const PREFIX = 'modelyard.chat.draft.';
/** Drafts of chats that were deleted elsewhere are never read again: only the most recent ones are kept. */
const MAX_DRAFTS = 50;

const keyFor = (sessionId: string | null) => `${PREFIX}${sessionId ?? 'new'}`;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

function parse(raw: string | null): { text: string; at: number } | null {
  try {
    const value: unknown = raw ? JSON.parse(raw) : null;
    const draft = value as { text?: unknown; at?: unknown } | null;
    return typeof draft?.text === 'string' && typeof draft.at === 'number' ? { text: draft.text, at: draft.at } : null;
  } catch {
    return null;
  }
}

export function readDraft(sessionId: string | null): string {
  return parse(storage()?.getItem(keyFor(sessionId)) ?? null)?.text ?? '';
}

export function writeDraft(sessionId: string | null, text: string): void {
  const store = storage();
  if (!store) return;
  const key = keyFor(sessionId);
  try {
    if (!text.trim()) {
      store.removeItem(key);
      return;
    }
    store.setItem(key, JSON.stringify({ text, at: Date.now() }));
    const drafts = Object.keys(store)
      .filter((k) => k.startsWith(PREFIX))
      .map((k) => ({ key: k, at: parse(store.getItem(k))?.at ?? 0 }))
      .sort((a, b) => b.at - a.at);
    for (const old of drafts.slice(MAX_DRAFTS)) store.removeItem(old.key);
  } catch {
    // full: a draft is a convenience, not worth an error
  }
}
