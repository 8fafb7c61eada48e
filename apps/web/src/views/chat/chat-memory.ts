/**
 * What this browser remembers per chat (a new chat has its own slot), in localStorage: it survives a reload and
 * stays with its chat when the user looks at another one. Each kind keeps only its most recent entries, so those of
 * chats deleted elsewhere do not pile up. Storage that is full or disabled only means nothing is remembered.
 */
const MAX_ENTRIES = 50;

interface Entry<T> {
  value: T;
  at: number;
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

function parse(raw: string | null): Entry<unknown> | null {
  try {
    const entry = (raw ? JSON.parse(raw) : null) as { value?: unknown; text?: unknown; at?: unknown } | null;
    if (typeof entry?.at !== 'number') return null;
    // Drafts were stored as `{ text, at }` before this module: read as their value.
    return { value: 'value' in entry ? entry.value : entry.text, at: entry.at };
  } catch {
    return null;
  }
}

/** One kind of remembered thing, e.g. unsent text; `accept` checks what comes back (it may be from older code). */
export function chatMemory<T>(prefix: string, accept: (value: unknown) => value is T) {
  const keyFor = (sessionId: string | null) => `${prefix}${sessionId ?? 'new'}`;
  return {
    read(sessionId: string | null): T | null {
      const value = parse(storage()?.getItem(keyFor(sessionId)) ?? null)?.value;
      return accept(value) ? value : null;
    },
    /** `null` forgets. */
    write(sessionId: string | null, value: T | null): void {
      const store = storage();
      if (!store) return;
      const key = keyFor(sessionId);
      try {
        if (value === null) {
          store.removeItem(key);
          return;
        }
        store.setItem(key, JSON.stringify({ value, at: Date.now() }));
        const entries = Object.keys(store)
          .filter((k) => k.startsWith(prefix))
          .map((k) => ({ key: k, at: parse(store.getItem(k))?.at ?? 0 }))
          .sort((a, b) => b.at - a.at);
        for (const old of entries.slice(MAX_ENTRIES)) store.removeItem(old.key);
      } catch {
        // full: a convenience, not worth an error
      }
    },
  };
}
