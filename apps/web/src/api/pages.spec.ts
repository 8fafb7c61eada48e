import { MAX_PAGE_SIZE } from '@modelyard/contracts';
import { describe, expect, it } from 'vitest';
import { allPages } from './pages';

/** A server list of `total` numbered items, with an extra field like a session's currentLeafId. */
function server(total: number) {
  const asked: [number, number][] = [];
  const fetchPage = async (page: number, pageSize: number) => {
    asked.push([page, pageSize]);
    const items = Array.from({ length: total }, (_, i) => i + 1).slice((page - 1) * pageSize, page * pageSize);
    return { items, total, page, pageSize, currentLeafId: 'leaf' };
  };
  return { asked, fetchPage };
}

describe('allPages', () => {
  it('reads a short list in one request', async () => {
    const { asked, fetchPage } = server(3);
    expect(await allPages(fetchPage)).toEqual({
      items: [1, 2, 3],
      total: 3,
      page: 1,
      pageSize: 100,
      currentLeafId: 'leaf',
    });
    expect(asked).toEqual([[1, MAX_PAGE_SIZE]]);
  });

  it('reads every page of a long list in order (a 2,000-message session)', async () => {
    const { asked, fetchPage } = server(2_050);
    const all = await allPages(fetchPage);
    expect(all.items).toHaveLength(2_050);
    expect(all.items).toEqual(Array.from({ length: 2_050 }, (_, i) => i + 1));
    expect(all).toMatchObject({ total: 2_050, page: 1, pageSize: 2_050, currentLeafId: 'leaf' });
    expect(asked.map(([page]) => page)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it('reads an empty list', async () => {
    const { fetchPage } = server(0);
    expect((await allPages(fetchPage)).items).toEqual([]);
  });
});
