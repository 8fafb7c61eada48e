import type { Paginated } from '@modelyard/contracts';
import { ref, shallowRef, toRaw, watch } from 'vue';

export interface PageRequest {
  page: number;
  pageSize: number;
}

/**
 * A server-paginated list: reloads when the page, the page size or the filters change (a filter change goes
 * back to page 1), and ignores answers that arrive after a newer request was made.
 */
export function usePagedList<T, Filters extends object>(
  fetchPage: (request: Filters & PageRequest) => Promise<Paginated<T>>,
  filters: Filters,
  opts: { pageSize?: number } = {},
) {
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(opts.pageSize ?? 20);
  const loading = ref(false);
  const loaded = ref(false);
  /** The last load failed (the HTTP client has already said why): the page can offer a retry. */
  const failed = ref(false);
  let latest = 0;

  async function load(): Promise<void> {
    const id = ++latest;
    loading.value = true;
    try {
      const result = await fetchPage({ ...toRaw(filters), page: page.value, pageSize: pageSize.value });
      if (id !== latest) return;
      items.value = result.items;
      total.value = result.total;
      failed.value = false;
    } catch {
      if (id !== latest) return;
      items.value = [];
      total.value = 0;
      failed.value = true;
    } finally {
      if (id === latest) {
        loading.value = false;
        loaded.value = true;
      }
    }
  }

  watch([page, pageSize], () => void load());
  watch(
    () => ({ ...filters }),
    () => {
      if (page.value !== 1)
        page.value = 1; // the page watcher reloads
      else void load();
    },
    { deep: true },
  );

  return { items, total, page, pageSize, loading, loaded, failed, load };
}
