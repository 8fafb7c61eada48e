import type { Session } from '@modelyard/contracts';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { chatApi } from '@/api/chat';
import { appendPage, placeSession } from '@/views/chat/session-list';

const PAGE_SIZE = 30;

/**
 * The chat sidebar: the signed-in user's conversations, a page at a time (infinite scroll), filtered by a search
 * over titles and message text, either the active ones or the archive. Changes made on the page (a new chat, a
 * rename, an answer that moved a chat up) are put in place locally instead of reloading the list.
 */
export const useChatSessionsStore = defineStore('chat-sessions', () => {
  const items = shallowRef<Session[]>([]);
  const total = ref(0);
  const search = ref('');
  const archived = ref(false);
  const loading = ref(false);
  const loadingMore = ref(false);
  const loaded = ref(false);
  const failed = ref(false);
  let page = 1;
  let latest = 0;

  const hasMore = computed(() => items.value.length < total.value);
  const byId = computed(() => new Map(items.value.map((s) => [s.id, s])));

  const query = (pageNumber: number) => ({
    page: pageNumber,
    pageSize: PAGE_SIZE,
    search: search.value.trim() || undefined,
    archived: archived.value,
  });

  /** The first page for the current search and archive filter. */
  async function load(): Promise<void> {
    const id = ++latest;
    loading.value = true;
    try {
      const result = await chatApi.listSessions(query(1));
      if (id !== latest) return;
      page = 1;
      items.value = result.items;
      total.value = result.total;
      failed.value = false;
    } catch {
      if (id !== latest) return;
      failed.value = true;
    } finally {
      if (id === latest) {
        loading.value = false;
        loadingMore.value = false;
        loaded.value = true;
      }
    }
  }

  async function loadMore(): Promise<void> {
    if (loading.value || loadingMore.value || !hasMore.value || failed.value) return;
    const id = latest;
    loadingMore.value = true;
    try {
      const result = await chatApi.listSessions(query(page + 1), { silent: true });
      if (id !== latest) return;
      page += 1;
      items.value = appendPage(items.value, result.items);
      total.value = result.total;
    } catch {
      // the next scroll to the end tries again
    } finally {
      if (id === latest) loadingMore.value = false;
    }
  }

  function setFilters(next: { search?: string; archived?: boolean }): Promise<void> {
    if (next.search !== undefined) search.value = next.search;
    if (next.archived !== undefined) archived.value = next.archived;
    return load();
  }

  /** A new or changed session: shown where it belongs, or dropped when it left this view (archived, unarchived). */
  function upsert(session: Session): void {
    const known = byId.value.get(session.id);
    if (session.archived !== archived.value) {
      if (known) remove([session.id]);
      return;
    }
    // A search list keeps its matches and their snippets; it is not the place for a brand-new chat.
    if (!known && search.value.trim()) return;
    items.value = placeSession(items.value, { ...session, snippet: session.snippet ?? known?.snippet });
    if (!known) total.value += 1;
  }

  function remove(ids: readonly string[]): void {
    const gone = new Set(ids);
    const before = items.value.length;
    items.value = items.value.filter((s) => !gone.has(s.id));
    total.value = Math.max(0, total.value - (before - items.value.length));
  }

  /** Re-reads one session (its title after auto-titling, its activity after an answer). */
  async function refresh(sessionId: string): Promise<Session | null> {
    try {
      const session = await chatApi.getSession(sessionId, { silent: true });
      upsert(session);
      return session;
    } catch {
      return null;
    }
  }

  return {
    items,
    total,
    search,
    archived,
    loading,
    loadingMore,
    loaded,
    failed,
    hasMore,
    byId,
    load,
    loadMore,
    setFilters,
    upsert,
    remove,
    refresh,
  };
});
