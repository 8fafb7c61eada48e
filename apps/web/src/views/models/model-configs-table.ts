import type { ModelConfigFilters, ModelConfigSort, SortOrder } from '@/api/models';

export interface ModelConfigListFilters {
  search: string;
  providerId: string;
  mine: boolean;
  sort: ModelConfigSort;
  order: SortOrder;
}

export const emptyModelConfigFilters = (): ModelConfigListFilters => ({
  search: '',
  providerId: '',
  mine: false,
  sort: 'updatedAt',
  order: 'desc',
});

/** Whether the list is narrowed: an empty table then means "nothing matches", not "nothing yet". */
export const isFiltered = (filters: ModelConfigListFilters) =>
  filters.search.trim() !== '' || filters.providerId !== '' || filters.mine;

/** The filters as GET /api/model-configs query parameters ("all" and "off" are simply left out). */
export function toModelConfigQuery(
  filters: ModelConfigListFilters & { page: number; pageSize: number },
): ModelConfigFilters {
  return {
    search: filters.search.trim() || undefined,
    providerId: filters.providerId || undefined,
    mine: filters.mine || undefined,
    sort: filters.sort,
    order: filters.order,
    page: filters.page,
    pageSize: filters.pageSize,
  };
}

export type ModelConfigColumnKey = 'name' | 'model' | 'updatedAt' | 'test' | 'actions';

export interface ModelConfigColumn {
  key: ModelConfigColumnKey;
  labelKey: string;
  /** The server's sort key, for the columns that can be sorted. */
  sort?: ModelConfigSort;
  width?: number;
  minWidth?: number;
  fixed?: 'right';
}

// Sized to fit the content area of a 1280 px wide window without scrolling sideways.
export const MODEL_CONFIG_COLUMNS: ModelConfigColumn[] = [
  { key: 'name', labelKey: 'models.configs.columns.name', sort: 'name', minWidth: 170 },
  { key: 'model', labelKey: 'models.configs.columns.model', sort: 'model', minWidth: 220 },
  { key: 'updatedAt', labelKey: 'models.configs.columns.updatedAt', sort: 'updatedAt', minWidth: 130 },
  { key: 'test', labelKey: 'models.configs.columns.test', minWidth: 190 },
  { key: 'actions', labelKey: 'models.configs.columns.actions', width: 200, fixed: 'right' },
];

export type ModelConfigAction = 'test' | 'default' | 'duplicate' | 'edit' | 'view' | 'remove';

type TableOrder = 'ascending' | 'descending' | null;

/** ElTable's sort-change event as the list's sort; clearing the sort goes back to "recently updated first". */
export function sortFromTable(
  column: ModelConfigColumn | undefined,
  order: TableOrder,
): Pick<ModelConfigListFilters, 'sort' | 'order'> {
  if (!column?.sort || order === null) return { sort: 'updatedAt', order: 'desc' };
  return { sort: column.sort, order: order === 'ascending' ? 'asc' : 'desc' };
}

export const tableDefaultSort = (filters: Pick<ModelConfigListFilters, 'sort' | 'order'>) => {
  const column = MODEL_CONFIG_COLUMNS.find((c) => c.sort === filters.sort);
  return { prop: column?.key ?? 'updatedAt', order: filters.order === 'asc' ? 'ascending' : 'descending' } as const;
};
