import { LlmError, type ProviderKind } from './types';

/** Where each operation of a provider lives. `show` exists only for Ollama (per-model details). */
export interface ProviderEndpoints {
  chat: URL;
  models: URL;
  show?: URL;
}

/**
 * Parses a user-entered base URL. Only http(s) makes sense for an upstream; anything else is a configuration
 * mistake worth reporting in words rather than as a socket error later.
 */
export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new LlmError('bad_request', `invalid base URL "${baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LlmError('bad_request', `base URL must start with http:// or https:// (got "${baseUrl}")`);
  }
  url.hash = '';
  return url;
}

function trimTrailingSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}

function stripSuffix(path: string, suffixes: readonly string[]): string {
  const lower = path.toLowerCase();
  const suffix = suffixes.find((candidate) => lower.endsWith(candidate));
  return suffix === undefined ? path : path.slice(0, path.length - suffix.length);
}

function withPath(base: URL, path: string): URL {
  const url = new URL(base.href);
  url.pathname = path;
  return url;
}

/**
 * OpenAI-compatible servers disagree on their prefix (`/v1`, Zhipu's `/api/paas/v4`, gateways' own paths), so a
 * given path is used as is; only a bare host gets the conventional `/v1`. A pasted full endpoint is tolerated.
 */
export function openAiEndpoints(baseUrl: string): ProviderEndpoints {
  const base = parseBaseUrl(baseUrl);
  let path = trimTrailingSlashes(stripSuffix(trimTrailingSlashes(base.pathname), ['/chat/completions']));
  if (path === '') path = '/v1';
  return { chat: withPath(base, `${path}/chat/completions`), models: withPath(base, `${path}/models`) };
}

/**
 * Ollama's native API is always at `/api`; users often paste the OpenAI-compatible `/v1` URL instead, or a full
 * endpoint.
 */
export function ollamaEndpoints(baseUrl: string): ProviderEndpoints {
  const base = parseBaseUrl(baseUrl);
  const path = trimTrailingSlashes(
    stripSuffix(trimTrailingSlashes(base.pathname), ['/api/chat', '/api/tags', '/v1/chat/completions', '/api', '/v1']),
  );
  return {
    chat: withPath(base, `${path}/api/chat`),
    models: withPath(base, `${path}/api/tags`),
    show: withPath(base, `${path}/api/show`),
  };
}

/**
 * Anthropic's paths carry the version themselves, so a base URL ending in `/v1` would double it; a pasted full
 * endpoint (`…/v1/messages`) is tolerated.
 */
export function anthropicEndpoints(baseUrl: string): ProviderEndpoints {
  const base = parseBaseUrl(baseUrl);
  const path = trimTrailingSlashes(stripSuffix(trimTrailingSlashes(base.pathname), ['/v1/messages', '/v1']));
  return { chat: withPath(base, `${path}/v1/messages`), models: withPath(base, `${path}/v1/models`) };
}

export function resolveEndpoints(kind: ProviderKind, baseUrl: string): ProviderEndpoints {
  switch (kind) {
    case 'openai':
      return openAiEndpoints(baseUrl);
    case 'ollama':
      return ollamaEndpoints(baseUrl);
    case 'anthropic':
      return anthropicEndpoints(baseUrl);
  }
}
