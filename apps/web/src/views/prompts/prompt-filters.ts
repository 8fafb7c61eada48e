import {
  BUILTIN_PROMPT_CATEGORIES,
  PROMPT_SORTS,
  PROMPT_VISIBILITIES,
  type PromptVisibility,
} from '@modelyard/contracts';
import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { PromptFilters, PromptSort } from '@/api/prompts';

/** The library's filters as the page holds them: "all" and "off" are the empty string and false. */
export interface PromptListFilters {
  search: string;
  category: string;
  tag: string;
  visibility: PromptVisibility | '';
  teamId: string;
  favorite: boolean;
  mine: boolean;
  sort: PromptSort;
}

export const PAGE_SIZES = [12, 24, 48, 96] as const;
export const DEFAULT_PAGE_SIZE = 24;

export const emptyPromptFilters = (): PromptListFilters => ({
  search: '',
  category: '',
  tag: '',
  visibility: '',
  teamId: '',
  favorite: false,
  mine: false,
  sort: 'recent',
});

/** Whether the list is narrowed (the sort does not narrow): an empty list then means "nothing matches". */
export const isFiltered = (f: PromptListFilters) =>
  f.search.trim() !== '' ||
  f.category !== '' ||
  f.tag !== '' ||
  f.visibility !== '' ||
  f.teamId !== '' ||
  f.favorite ||
  f.mine;

const first = (value: LocationQuery[string] | undefined): string => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
};
const truthy = (value: string) => value === '1' || value === 'true';
const positiveInt = (value: string): number | null => {
  if (!/^\d{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
};

/** The page's state read from the URL; anything unknown or malformed falls back to its default. */
export function filtersFromQuery(query: LocationQuery): {
  filters: PromptListFilters;
  page: number;
  pageSize: number;
} {
  const visibility = first(query.visibility);
  const sort = first(query.sort);
  const pageSize = positiveInt(first(query.pageSize));
  return {
    filters: {
      search: first(query.q).slice(0, 200),
      category: first(query.category).slice(0, 32),
      tag: first(query.tag).slice(0, 32),
      visibility: (PROMPT_VISIBILITIES as readonly string[]).includes(visibility)
        ? (visibility as PromptVisibility)
        : '',
      // `teamId` too: the name the API uses, so a link written with it filters as well.
      teamId: first(query.team) || first(query.teamId),
      favorite: truthy(first(query.favorite)),
      mine: truthy(first(query.mine)),
      sort: (PROMPT_SORTS as readonly string[]).includes(sort) ? (sort as PromptSort) : 'recent',
    },
    page: positiveInt(first(query.page)) ?? 1,
    pageSize: pageSize !== null && (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
  };
}

/** The page's state as a URL query: defaults are left out so a plain library is a plain `/prompts`. */
export function filtersToQuery(filters: PromptListFilters, page = 1, pageSize = DEFAULT_PAGE_SIZE): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (filters.search.trim()) query.q = filters.search.trim();
  if (filters.category) query.category = filters.category;
  if (filters.tag) query.tag = filters.tag;
  if (filters.visibility) query.visibility = filters.visibility;
  if (filters.teamId) query.team = filters.teamId;
  if (filters.favorite) query.favorite = '1';
  if (filters.mine) query.mine = '1';
  if (filters.sort !== 'recent') query.sort = filters.sort;
  if (page > 1) query.page = String(page);
  if (pageSize !== DEFAULT_PAGE_SIZE) query.pageSize = String(pageSize);
  return query;
}

/** Two queries say the same thing (ignoring key order): used to avoid replacing the URL with itself. */
export function sameQuery(a: LocationQuery | LocationQueryRaw, b: LocationQuery | LocationQueryRaw): boolean {
  const norm = (q: LocationQuery | LocationQueryRaw) =>
    JSON.stringify(
      Object.keys(q)
        .filter((k) => q[k] !== undefined && q[k] !== null)
        .sort()
        .map((k) => [k, String(Array.isArray(q[k]) ? (q[k] as unknown[])[0] : q[k])]),
    );
  return norm(a) === norm(b);
}

/** The filters as GET /api/prompts parameters. */
export function toPromptQuery(f: PromptListFilters & { page: number; pageSize: number }): PromptFilters {
  return {
    search: f.search.trim() || undefined,
    category: f.category || undefined,
    tag: f.tag || undefined,
    visibility: f.visibility || undefined,
    teamId: f.teamId || undefined,
    favorite: f.favorite || undefined,
    mine: f.mine || undefined,
    sort: f.sort,
    page: f.page,
    pageSize: f.pageSize,
  };
}

export const isBuiltinCategory = (id: string) => (BUILTIN_PROMPT_CATEGORIES as readonly string[]).includes(id);
