import type { Session } from '@modelyard/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { numberedSession, sessionId } from '@/test-utils/chat';
import { errorResponse, installFakeApi, jsonResponse } from '@/test-utils/fake-api';
import { useChatSessionsStore } from './chat-sessions';

const sid = sessionId;
const session = (n: number, overrides: Partial<Session> = {}) => numberedSession(n, 'Chat', overrides);

/** A server holding `count` conversations, listed and deleted like the real one (offset pages). */
function fakeServer(count: number) {
  let all = Array.from({ length: count }, (_, i) => session(i + 1));
  const api = installFakeApi({
    'GET /api/chat/sessions': ({ url }) => {
      const page = Number(url.searchParams.get('page'));
      const pageSize = Number(url.searchParams.get('pageSize'));
      const items = all.slice((page - 1) * pageSize, page * pageSize);
      return jsonResponse(200, { items, total: all.length, page, pageSize });
    },
  });
  return {
    api,
    delete: (ids: string[]) => {
      all = all.filter((s) => !ids.includes(s.id));
    },
  };
}

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => vi.unstubAllGlobals());

describe('chat sessions store', () => {
  it('after the loaded conversations were deleted, pages in the ones the server moved up, none skipped', async () => {
    const server = fakeServer(45);
    const sessions = useChatSessionsStore();
    await sessions.load();
    expect(sessions.items).toHaveLength(30);

    const loaded = sessions.items.map((s) => s.id);
    server.delete(loaded);
    sessions.remove(loaded);
    expect(sessions.items).toHaveLength(0);
    expect(sessions.hasMore).toBe(true);

    await sessions.loadMore();
    expect(sessions.items.map((s) => s.title)).toEqual(Array.from({ length: 15 }, (_, i) => `Chat ${i + 31}`));
    expect(sessions.hasMore).toBe(false);
  });

  it('after some were removed, the next page starts right after the last one listed', async () => {
    const server = fakeServer(70);
    const sessions = useChatSessionsStore();
    await sessions.load();
    const gone = [sid(3), sid(7), sid(20)];
    server.delete(gone);
    sessions.remove(gone);
    while (sessions.hasMore) await sessions.loadMore();
    expect(sessions.items).toHaveLength(67);
    expect(new Set(sessions.items.map((s) => s.id)).size).toBe(67);
  });

  it('loadAll pages in the rest of the list', async () => {
    fakeServer(75);
    const sessions = useChatSessionsStore();
    await sessions.load();
    await expect(sessions.loadAll()).resolves.toBe(true);
    expect(sessions.items).toHaveLength(75);
  });

  it('a failed reload does not keep the results of the previous search', async () => {
    const { api } = fakeServer(3);
    const sessions = useChatSessionsStore();
    await sessions.setFilters({ search: 'chat' });
    expect(sessions.items).toHaveLength(3);

    api.on('GET /api/chat/sessions', () => Promise.reject(new TypeError('Failed to fetch')));
    await sessions.setFilters({ search: '' });
    expect(sessions.failed).toBe(true);
    expect(sessions.items).toEqual([]);
    expect(sessions.hasMore).toBe(false);
  });

  it('a page that could not be loaded is marked, and loads on the next try', async () => {
    const { api } = fakeServer(40);
    const sessions = useChatSessionsStore();
    await sessions.load();
    api.on('GET /api/chat/sessions', () => errorResponse(503, 'SERVICE_UNAVAILABLE'));
    await sessions.loadMore();
    expect(sessions.moreFailed).toBe(true);
    expect(sessions.items).toHaveLength(30);

    fakeServer(40);
    await sessions.loadMore();
    expect(sessions.moreFailed).toBe(false);
    expect(sessions.items).toHaveLength(40);
  });
});
