import { describe, expect, it } from 'vitest';
import { makePrompt } from '@/test-utils/prompts';
import { alignDiff, diffStats, foldUnchanged, isFold } from './prompt-diff';
import {
  DEFAULT_PAGE_SIZE,
  emptyPromptFilters,
  filtersFromQuery,
  filtersToQuery,
  isFiltered,
  sameQuery,
  toPromptQuery,
} from './prompt-filters';
import {
  createPayload,
  emptyPromptForm,
  isFormDirty,
  makesNewVersion,
  promptToForm,
  renderWithMarks,
  updatePayload,
} from './prompt-form';
import { insertAtCursor } from './text-insert';

describe('library filters ↔ URL query', () => {
  it('a plain library is a plain URL, and every filter survives the round trip', () => {
    expect(filtersToQuery(emptyPromptFilters())).toEqual({});
    const filters = {
      search: ' review ',
      category: 'coding',
      tag: 'go',
      visibility: 'team' as const,
      teamId: 't1',
      favorite: true,
      mine: true,
      sort: 'usage' as const,
    };
    const query = filtersToQuery(filters, 3, 48);
    expect(query).toEqual({
      q: 'review',
      category: 'coding',
      tag: 'go',
      visibility: 'team',
      team: 't1',
      favorite: '1',
      mine: '1',
      sort: 'usage',
      page: '3',
      pageSize: '48',
    });
    const back = filtersFromQuery(query as Record<string, string>);
    expect(back).toEqual({ filters: { ...filters, search: 'review' }, page: 3, pageSize: 48 });
  });

  it('a link naming the team `teamId`, as the API does, filters by that team too', () => {
    expect(filtersFromQuery({ teamId: 't2' }).filters.teamId).toBe('t2');
    expect(filtersFromQuery({ team: 't1', teamId: 't2' }).filters.teamId).toBe('t1');
  });

  it('a hand-edited URL with nonsense falls back to the defaults', () => {
    const back = filtersFromQuery({ visibility: 'secret', sort: 'random', page: '-2', pageSize: '7', favorite: 'no' });
    expect(back).toEqual({ filters: emptyPromptFilters(), page: 1, pageSize: DEFAULT_PAGE_SIZE });
  });

  it('the sort alone does not count as filtering; the API query leaves "all" out', () => {
    expect(isFiltered({ ...emptyPromptFilters(), sort: 'name' })).toBe(false);
    expect(isFiltered({ ...emptyPromptFilters(), favorite: true })).toBe(true);
    expect(toPromptQuery({ ...emptyPromptFilters(), search: '  ', page: 1, pageSize: 24 })).toEqual({
      search: undefined,
      category: undefined,
      tag: undefined,
      visibility: undefined,
      teamId: undefined,
      favorite: undefined,
      mine: undefined,
      sort: 'recent',
      page: 1,
      pageSize: 24,
    });
  });

  it('compares queries regardless of key order', () => {
    expect(sameQuery({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameQuery({ a: '1' }, { a: '1', b: '2' })).toBe(false);
  });
});

describe('side-by-side diff', () => {
  it('pairs a removed block with the added block after it and numbers each side', () => {
    const rows = alignDiff([
      { type: 'equal', value: 'You are a reviewer.\n' },
      { type: 'removed', value: 'Be brief.\nUse English.\n' },
      { type: 'added', value: 'Be thorough.\n' },
      { type: 'equal', value: 'End.' },
    ]);
    expect(rows).toEqual([
      {
        type: 'equal',
        left: { line: 1, text: 'You are a reviewer.' },
        right: { line: 1, text: 'You are a reviewer.' },
      },
      { type: 'changed', left: { line: 2, text: 'Be brief.' }, right: { line: 2, text: 'Be thorough.' } },
      { type: 'removed', left: { line: 3, text: 'Use English.' }, right: null },
      { type: 'equal', left: { line: 4, text: 'End.' }, right: { line: 3, text: 'End.' } },
    ]);
    expect(diffStats(rows)).toEqual({ added: 1, removed: 2 });
  });

  it('shows pure additions with a blank opposite, one change per line', () => {
    const rows = alignDiff([
      { type: 'equal', value: 'a' },
      { type: 'added', value: 'b' },
      { type: 'added', value: 'c' },
    ]);
    expect(rows.map((r) => [r.type, r.left?.line ?? null, r.right?.line ?? null])).toEqual([
      ['equal', 1, 1],
      ['added', null, 2],
      ['added', null, 3],
    ]);
  });

  it('folds long unchanged runs but keeps context around changes', () => {
    const equal = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const rows = alignDiff([
      { type: 'equal', value: equal },
      { type: 'added', value: 'new' },
    ]);
    const items = foldUnchanged(rows, 3);
    expect(items).toHaveLength(5);
    expect(isFold(items[0]!)).toBe(true);
    expect(isFold(items[0]!) && items[0].rows).toHaveLength(17);
    expect(items.slice(1).every((i) => !isFold(i))).toBe(true);
  });
});

describe('insert at cursor', () => {
  it('replaces the selection and puts the caret after the insert', () => {
    expect(insertAtCursor('Hello world', 6, 11, '{{name}}')).toEqual({ value: 'Hello {{name}}', cursor: 14 });
    expect(insertAtCursor('ab', 1, 1, 'X')).toEqual({ value: 'aXb', cursor: 2 });
  });

  it('appends when there is no caret, and clamps a stale one', () => {
    expect(insertAtCursor('abc', null, null, 'X')).toEqual({ value: 'abcX', cursor: 4 });
    expect(insertAtCursor('abc', 10, 12, 'X')).toEqual({ value: 'abcX', cursor: 4 });
  });
});

const saved = makePrompt({
  content: 'Review {{code}} in {{language}}.',
  description: '',
  variables: [{ name: 'code' }, { name: 'language', default: 'Go' }],
  version: 2,
});

describe('prompt form', () => {
  it('sends only what changed; a change note only with a new version', () => {
    const form = promptToForm(saved);
    expect(updatePayload(saved, form)).toBeNull();
    expect(isFormDirty(saved, form)).toBe(false);

    form.tags = ['review', 'go'];
    expect(updatePayload(saved, form, 'note')).toEqual({ tags: ['review', 'go'] });
    expect(makesNewVersion(saved, form)).toBe(false);

    form.variables.code = { description: 'The diff', default: '' };
    expect(makesNewVersion(saved, form)).toBe(true);
    expect(updatePayload(saved, form, ' clearer ')).toEqual({
      tags: ['review', 'go'],
      variables: [
        { name: 'code', description: 'The diff' },
        { name: 'language', default: 'Go' },
      ],
      changeNote: 'clearer',
    });
  });

  it('creates with the variables of the content only (built-ins left to the platform)', () => {
    const form = {
      ...emptyPromptForm(),
      name: ' Greeter ',
      content: 'Hi {{user_name}}, talk about {{topic}}',
      category: 'Coding',
      tags: ['a', 'a', ' '],
      variables: { topic: { description: '', default: 'cats' }, gone: { description: 'x', default: '' } },
    };
    expect(createPayload(form)).toMatchObject({
      name: 'Greeter',
      category: 'coding',
      tags: ['a'],
      variables: [{ name: 'topic', default: 'cats' }],
      visibility: 'private',
      teamId: null,
    });
    expect(isFormDirty(null, emptyPromptForm())).toBe(false);
    expect(isFormDirty(null, form)).toBe(true);
  });

  it('renders like the server and marks where each missing variable stays', () => {
    const result = renderWithMarks('Hi {{name}}, {{topic}} and {{name}} again', { topic: '' }, { topic: 'cats' });
    expect(result.text).toBe('Hi {{name}}, cats and {{name}} again');
    expect(result.missing).toEqual(['name']);
    expect(result.segments).toEqual([
      { text: 'Hi ' },
      { missing: 'name' },
      { text: ', cats and ' },
      { missing: 'name' },
      { text: ' again' },
    ]);
  });
});
