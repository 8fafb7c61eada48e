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
  /** The last (re)load failed: the list is empty rather than showing results of other filters. */
  const failed = ref(false);
  /** The last attempt to page in more failed (the list itself is still right). */
  const moreFailed = ref(false);
  let page = 1;
  /**
   * How far the server's list moved under the pages already fetched because of changes made here: -1 for each
   * session removed from it, +1 for each one added. The next unseen session is at offset `page * PAGE_SIZE + shift`.
   */
  let shift = 0;
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
      shift = 0;
      items.value = result.items;
      total.value = result.total;
      failed.value = false;
      moreFailed.value = false;
    } catch {
      if (id !== latest) return;
      // What is listed belongs to the filters before this load: it must not pass for results of the new ones.
      page = 1;
      shift = 0;
      items.value = [];
      total.value = 0;
      failed.value = true;
      moreFailed.value = false;
    } finally {
      if (id === latest) {
        loading.value = false;
        loadingMore.value = false;
        loaded.value = true;
      }
    }
  }

  /**
   * The next page. After sessions were removed here (deleted, archived) the server's pages moved up under the ones
   * fetched: the page holding the first unseen session is fetched again and what is already listed skipped.
   */
  async function loadMore(): Promise<void> {
    if (loading.value || loadingMore.value || !hasMore.value || failed.value) return;
    const id = latest;
    const next = Math.floor(Math.max(0, page * PAGE_SIZE + shift) / PAGE_SIZE) + 1;
    loadingMore.value = true;
    try {
      const result = await chatApi.listSessions(query(next), { silent: true });
      if (id !== latest) return;
      page = next;
      shift = 0;
      items.value = appendPage(items.value, result.items);
      total.value = result.total;
      moreFailed.value = false;
    } catch {
      if (id === latest) moreFailed.value = true;
    } finally {
      if (id === latest) loadingMore.value = false;
    }
  }

  /** Pages in the rest of the list (for "select all"); false when a page could not be loaded. */
  async function loadAll(): Promise<boolean> {
    const id = latest;
    while (hasMore.value && id === latest) {
      const before = items.value.length;
      await loadMore();
      if (moreFailed.value || failed.value || id !== latest) return false;
      // The server listed nothing new (the list changed under it): stop rather than ask forever.
      if (items.value.length === before) break;
    }
    return id === latest && !hasMore.value;
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
    if (!known) {
      total.value += 1;
      shift += 1;
    }
  }

  function remove(ids: readonly string[]): void {
    const gone = new Set(ids);
    const before = items.value.length;
    items.value = items.value.filter((s) => !gone.has(s.id));
    const removed = before - items.value.length;
    total.value = Math.max(0, total.value - removed);
    shift -= removed;
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

  /**
   * Imports a JSON export as a new session and lists it. Failures are not toasted: the caller says what is wrong
   * with the file.
   */
  async function importFile(exported: unknown): Promise<Session> {
    const created = await chatApi.importSession(exported, { silent: true });
    upsert(created);
    return created;
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
    moreFailed,
    hasMore,
    byId,
    load,
    loadMore,
    loadAll,
    setFilters,
    upsert,
    remove,
    refresh,
    importFile,
  };
});
