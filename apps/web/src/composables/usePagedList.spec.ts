import type { Paginated } from '@modelyard/contracts';
import { describe, expect, it, vi } from 'vitest';
import { nextTick, reactive } from 'vue';
import { usePagedList } from './usePagedList';

const page = <T>(items: T[], total = items.length): Paginated<T> => ({ items, total, page: 1, pageSize: 20 });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('usePagedList', () => {
  it('loads with the filters and page, and goes back to page 1 when a filter changes', async () => {
    const fetchPage = vi.fn(async () => page(['a'], 45));
    const filters = reactive({ search: '' });
    const list = usePagedList(fetchPage, filters);

    await list.load();
    expect(fetchPage).toHaveBeenLastCalledWith({ search: '', page: 1, pageSize: 20 });
    expect(list.total.value).toBe(45);

    list.page.value = 3;
    await vi.waitFor(() => expect(fetchPage).toHaveBeenLastCalledWith({ search: '', page: 3, pageSize: 20 }));

    filters.search = 'ada';
    await vi.waitFor(() => expect(fetchPage).toHaveBeenLastCalledWith({ search: 'ada', page: 1, pageSize: 20 }));
    await nextTick();
    expect(list.page.value).toBe(1);
    expect(fetchPage).toHaveBeenCalledTimes(3); // the page reset and the filter change cost one request together
  });

  it('keeps the newest answer when an older, slower one arrives last', async () => {
    const slow = deferred<Paginated<string>>();
    const fast = deferred<Paginated<string>>();
    const fetchPage = vi.fn().mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise);
    const list = usePagedList(fetchPage, reactive({}));

    const first = list.load();
    const second = list.load();
    fast.resolve(page(['new']));
    await second;
    slow.resolve(page(['old']));
    await first;

    expect(list.items.value).toEqual(['new']);
    expect(list.loading.value).toBe(false);
  });

  it('shows an empty list after a failed load', async () => {
    const list = usePagedList(vi.fn().mockRejectedValue(new Error('x')), reactive({}));
    await list.load();
    expect(list.items.value).toEqual([]);
    expect(list.loaded.value).toBe(true);
    expect(list.loading.value).toBe(false);
    expect(list.failed.value).toBe(true);
  });
});
