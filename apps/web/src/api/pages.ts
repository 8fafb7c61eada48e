import { MAX_PAGE_SIZE, type Paginated } from '@modelyard/contracts';

/** Pages asked for at once after the first: a long list loads quickly without flooding the server. */
const PARALLEL_PAGES = 4;

/**
 * Every item of a paginated list, for screens that need the whole of it (a session's message tree, the providers of
 * a picker): the first page at the largest size, then the rest, a few at a time. The answer reads as one page that
 * holds everything; fields other than the page's (a session's `currentLeafId`) come from the first.
 */
export async function allPages<T, P extends Paginated<T>>(
  fetchPage: (page: number, pageSize: number) => Promise<P>,
): Promise<P> {
  const first = await fetchPage(1, MAX_PAGE_SIZE);
  const pageCount = Math.ceil(first.total / MAX_PAGE_SIZE);
  const items = [...first.items];
  for (let next = 2; next <= pageCount; next += PARALLEL_PAGES) {
    const batch = Array.from({ length: Math.min(PARALLEL_PAGES, pageCount - next + 1) }, (_, i) =>
      fetchPage(next + i, MAX_PAGE_SIZE),
    );
    for (const page of await Promise.all(batch)) items.push(...page.items);
  }
  return { ...first, items, page: 1, pageSize: Math.max(items.length, first.pageSize) };
}
