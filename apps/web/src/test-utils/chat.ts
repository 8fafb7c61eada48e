import type { Session } from '@modelyard/contracts';

/** A chat session as the API lists it: an empty "New chat" unless `overrides` say otherwise. */
export function makeSession(overrides: Partial<Session> = {}): Session {
  return {
    id: '40000000-0000-4000-8000-000000000001',
    title: 'New chat',
    modelConfigId: null,
    systemPrompt: null,
    prompt: null,
    pinned: false,
    archived: false,
    currentLeafId: null,
    messageCount: 0,
    lastActivityAt: '2026-01-01T00:00:00.000Z',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The id of the `n`th of a list of sessions. */
export const sessionId = (n: number) => `40000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The `n`th of a list of sessions, each a minute older than the one before, named `${title} ${n}`. */
export function numberedSession(n: number, title: string, overrides: Partial<Session> = {}): Session {
  const at = new Date(Date.UTC(2026, 0, 1) - n * 60_000).toISOString();
  return makeSession({
    id: sessionId(n),
    title: `${title} ${n}`,
    messageCount: 2,
    lastActivityAt: at,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  });
}
