import type {
  CreatePromptInput,
  Paginated,
  Prompt,
  PromptDiff,
  PromptLibraryExport,
  PromptVersion,
  PromptVersionSummary,
  PromptVisibility,
  RenderedPrompt,
  RenderPromptInput,
  UpdatePromptInput,
} from '@modelyard/contracts';
import { readDownload, type DownloadedFile } from './download';
import { http, isApiError, type RequestOptions } from './http';

type CallOptions = Pick<RequestOptions, 'silent' | 'signal'>;

export type PromptSort = 'recent' | 'name' | 'usage';

export interface PromptFilters {
  search?: string;
  category?: string;
  tag?: string;
  visibility?: PromptVisibility;
  teamId?: string;
  favorite?: boolean;
  mine?: boolean;
  sort?: PromptSort;
  page: number;
  pageSize: number;
}

export interface PromptCategoryCount {
  id: string;
  builtin: boolean;
  count: number;
}

export interface PromptImportResult {
  created: { id: string; name: string }[];
  renamed: { from: string; to: string }[];
}

/** Create input as typed in a form: the server fills the defaults. */
export type NewPromptInput = Partial<CreatePromptInput> & Pick<CreatePromptInput, 'name' | 'content'>;

const id = (value: string) => encodeURIComponent(value);

export const promptsApi = {
  list: (filters: PromptFilters, opts?: CallOptions) =>
    http.get<Paginated<Prompt>>('/prompts', { ...opts, query: { ...filters } }),
  get: (promptId: string, opts?: CallOptions) => http.get<Prompt>(`/prompts/${id(promptId)}`, opts),
  create: (input: NewPromptInput, opts?: CallOptions) => http.post<Prompt>('/prompts', input, opts),
  update: (promptId: string, input: UpdatePromptInput, opts?: CallOptions) =>
    http.patch<Prompt>(`/prompts/${id(promptId)}`, input, opts),
  remove: (promptId: string, opts?: CallOptions) => http.delete<void>(`/prompts/${id(promptId)}`, opts),
  copy: (promptId: string, opts?: CallOptions) => http.post<Prompt>(`/prompts/${id(promptId)}/copy`, undefined, opts),
  setFavorite: (promptId: string, favorite: boolean, opts?: CallOptions) =>
    favorite
      ? http.put<void>(`/prompts/${id(promptId)}/favorite`, undefined, opts)
      : http.delete<void>(`/prompts/${id(promptId)}/favorite`, opts),
  categories: (opts?: CallOptions) => http.get<{ items: PromptCategoryCount[] }>('/prompts/categories', opts),
  tags: (opts?: CallOptions) => http.get<{ items: { tag: string; count: number }[] }>('/prompts/tags', opts),
  versions: (promptId: string, page = 1, pageSize = 50, opts?: CallOptions) =>
    http.get<Paginated<PromptVersionSummary>>(`/prompts/${id(promptId)}/versions`, {
      ...opts,
      query: { page, pageSize },
    }),
  version: (promptId: string, version: number, opts?: CallOptions) =>
    http.get<PromptVersion>(`/prompts/${id(promptId)}/versions/${version}`, opts),
  diff: (promptId: string, from: number, to: number, opts?: CallOptions) =>
    http.get<PromptDiff>(`/prompts/${id(promptId)}/diff`, { ...opts, query: { from, to } }),
  restore: (promptId: string, version: number, changeNote?: string, opts?: CallOptions) =>
    http.post<Prompt>(`/prompts/${id(promptId)}/versions/${version}/restore`, { changeNote }, opts),
  setLabel: (promptId: string, label: string, version: number, opts?: CallOptions) =>
    http.put<Prompt>(`/prompts/${id(promptId)}/labels/${id(label)}`, { version }, opts),
  removeLabel: (promptId: string, label: string, opts?: CallOptions) =>
    http.delete<void>(`/prompts/${id(promptId)}/labels/${id(label)}`, opts),
  render: (promptId: string, input: Partial<RenderPromptInput>, opts?: CallOptions) =>
    http.post<RenderedPrompt>(`/prompts/${id(promptId)}/render`, input, opts),
  /** One prompt, or (no ids) every prompt the caller owns, as a JSON file. */
  exportLibrary: async (ids?: string[], opts?: CallOptions): Promise<DownloadedFile> => {
    const response = await http.open('/prompts/export', {
      ...opts,
      query: { ids: ids?.length ? ids.join(',') : undefined },
      headers: { Accept: 'application/json' },
    });
    return readDownload(response, 'prompts.json');
  },
  importLibrary: (file: PromptLibraryExport | unknown, opts?: CallOptions) =>
    http.post<PromptImportResult>('/prompts/import', file, opts),
};

/**
 * The variable names of a 400 PROMPT_VARIABLES_MISSING (details: `[{ path: "variables.<name>", message }]`), or
 * null for any other error. Names may contain dots themselves, so only the leading `variables.` is taken off.
 */
export function missingVariables(error: unknown): string[] | null {
  if (!isApiError(error) || error.code !== 'PROMPT_VARIABLES_MISSING') return null;
  const names: string[] = [];
  for (const detail of error.details ?? []) {
    const path = typeof detail === 'object' && detail !== null ? (detail as { path?: unknown }).path : undefined;
    const name = typeof path === 'string' && path.startsWith('variables.') ? path.slice('variables.'.length) : '';
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}
