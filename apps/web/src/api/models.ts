import type {
  ConnectionTestResult,
  CreateModelConfigInput,
  CreateProviderInput,
  DetectedProvider,
  ModelConfig,
  ModelConfigUsage,
  ModelConfigVisibility,
  Paginated,
  Provider,
  ProviderModelList,
  ProviderPreset,
  UpdateModelConfigInput,
  UpdateProviderInput,
} from '@modelyard/contracts';
import { http, type RequestOptions } from './http';
import { allPages } from './pages';

type CallOptions = Pick<RequestOptions, 'silent' | 'signal'>;

interface ItemList<T> {
  items: T[];
}

export type ModelConfigSort = 'name' | 'updatedAt' | 'createdAt' | 'model';
export type SortOrder = 'asc' | 'desc';

export interface ModelConfigFilters {
  search?: string;
  providerId?: string;
  visibility?: ModelConfigVisibility;
  mine?: boolean;
  sort?: ModelConfigSort;
  order?: SortOrder;
  page: number;
  pageSize: number;
}

export interface BatchDeleteResult {
  deleted: string[];
  skipped: string[];
}

const id = (value: string) => encodeURIComponent(value);

export const providersApi = {
  /** Every provider the caller may see (an instance has a handful; the list is paged all the same). */
  list: (opts?: CallOptions) =>
    allPages((page, pageSize) => http.get<Paginated<Provider>>('/providers', { ...opts, query: { page, pageSize } })),
  presets: (opts?: CallOptions) => http.get<ItemList<ProviderPreset>>('/providers/presets', opts),
  detected: (opts?: CallOptions) => http.get<ItemList<DetectedProvider>>('/providers/detected', opts),
  create: (input: CreateProviderInput, opts?: CallOptions) => http.post<Provider>('/providers', input, opts),
  update: (providerId: string, input: UpdateProviderInput, opts?: CallOptions) =>
    http.patch<Provider>(`/providers/${id(providerId)}`, input, opts),
  remove: (providerId: string, opts?: CallOptions) => http.delete<void>(`/providers/${id(providerId)}`, opts),
  models: (providerId: string, refresh = false, opts?: CallOptions) =>
    http.get<ProviderModelList>(`/providers/${id(providerId)}/models`, {
      ...opts,
      query: { refresh: refresh || undefined },
    }),
  test: (providerId: string, opts?: CallOptions) =>
    http.post<ConnectionTestResult>(`/providers/${id(providerId)}/test`, undefined, opts),
};

export const modelConfigsApi = {
  list: (filters: ModelConfigFilters, opts?: CallOptions) =>
    http.get<Paginated<ModelConfig>>('/model-configs', { ...opts, query: { ...filters } }),
  get: (configId: string, opts?: CallOptions) => http.get<ModelConfig>(`/model-configs/${id(configId)}`, opts),
  create: (input: CreateModelConfigInput, opts?: CallOptions) => http.post<ModelConfig>('/model-configs', input, opts),
  update: (configId: string, input: UpdateModelConfigInput, opts?: CallOptions) =>
    http.patch<ModelConfig>(`/model-configs/${id(configId)}`, input, opts),
  remove: (configId: string, opts?: CallOptions) => http.delete<void>(`/model-configs/${id(configId)}`, opts),
  removeMany: (ids: string[], opts?: CallOptions) =>
    http.post<BatchDeleteResult>('/model-configs/batch-delete', { ids }, opts),
  test: (configId: string, opts?: CallOptions) =>
    http.post<ConnectionTestResult>(`/model-configs/${id(configId)}/test`, undefined, opts),
  setDefault: (configId: string, opts?: CallOptions) =>
    http.post<ModelConfig>(`/model-configs/${id(configId)}/default`, undefined, opts),
  usage: (configId: string, opts?: CallOptions) =>
    http.get<ModelConfigUsage>(`/model-configs/${id(configId)}/usage`, opts),
  duplicate: (configId: string, opts?: CallOptions) =>
    http.post<ModelConfig>(`/model-configs/${id(configId)}/duplicate`, undefined, opts),
};
