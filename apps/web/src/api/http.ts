import { ErrorEnvelopeSchema, type RefreshResponse } from '@modelyard/contracts';

/**
 * The one HTTP client of the web app. Every API call goes through `http`, which
 *  - prefixes `/api` and sends the in-memory access token as a Bearer header (the refresh token is an httpOnly
 *    cookie the browser attaches by itself, hence `credentials: 'include'`);
 *  - on a 401 refreshes the session once — concurrent 401s share one refresh — and retries the request once;
 *  - when the session cannot be refreshed, hands over to `onSessionExpired` (clear auth, go to /login);
 *  - turns every error envelope into an `ApiError` and, unless the caller opts out with `silent`, shows it in the
 *    single place that toasts errors (`notifyError`).
 * The hooks are wired to Pinia and the router by `installSession` (src/app/session.ts), which keeps this module
 * free of import cycles and easy to test with a fake `fetch`.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: HttpMethod;
  query?: Record<string, QueryValue>;
  /** A plain value is sent as JSON; FormData is sent as multipart with the browser's boundary. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Don't toast a failure: the caller shows it inline (forms) or deliberately ignores it. */
  silent?: boolean;
  /** Don't try to refresh the session on 401 (login, register, logout, refresh itself). */
  skipAuthRefresh?: boolean;
}

export interface HttpHooks {
  getAccessToken(): string | null;
  setAccessToken(token: string | null): void;
  /** The session is gone for good (refresh refused): clear auth state and send the tab to /login. */
  onSessionExpired(): void;
  /** The one place errors become toasts. */
  notifyError(error: ApiError): void;
  /** Sent as Accept-Language so server messages match the UI language. */
  getLocale(): string | undefined;
}

export interface HttpClientOptions {
  baseUrl?: string;
  fetch?: typeof fetch;
  hooks?: Partial<HttpHooks>;
}

/** Codes the client makes up itself when there is no error envelope to read. */
export const CLIENT_ERROR_CODES = {
  network: 'NETWORK_ERROR',
  badResponse: 'BAD_RESPONSE',
  sessionExpired: 'SESSION_EXPIRED',
} as const;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown[] | undefined;
  readonly requestId: string | undefined;
  /** Seconds from a `Retry-After` header (429), when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: unknown[];
    requestId?: string;
    retryAfter?: number;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
  }

  /** Reads the error envelope of a non-2xx response; anything else (a proxy's HTML page…) becomes HTTP_<status>. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const envelope = ErrorEnvelopeSchema.safeParse(body);
    if (envelope.success) {
      return new ApiError({ ...envelope.data, status: response.status, retryAfter });
    }
    return new ApiError({
      status: response.status,
      code: `HTTP_${response.status}`,
      message: response.statusText || `HTTP ${response.status}`,
      retryAfter,
    });
  }
}

const REFRESH_LOCK = 'modelyard-auth-refresh';

const webLocks = () => (typeof navigator === 'undefined' ? undefined : navigator.locks);

/** Runs `work` while no other tab of this origin runs its own (Web Locks); directly where locks are missing. */
function oneTabAtATime<T>(work: () => Promise<T>): Promise<T> {
  const locks = webLocks();
  return locks ? (locks.request(REFRESH_LOCK, work) as Promise<T>) : work();
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const noHooks: HttpHooks = {
  getAccessToken: () => null,
  setAccessToken: () => undefined,
  onSessionExpired: () => undefined,
  notifyError: () => undefined,
  getLocale: () => undefined,
};

export function createHttpClient(options: HttpClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '/api';
  let hooks: HttpHooks = { ...noHooks, ...options.hooks };
  let refreshing: Promise<boolean> | null = null;

  // Looked up per call so tests (and anything else) can swap globalThis.fetch.
  const doFetch = (input: string, init: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);

  function configure(next: Partial<HttpHooks>): void {
    hooks = { ...hooks, ...next };
  }

  function send(path: string, opts: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    const locale = hooks.getLocale();
    if (locale) headers['Accept-Language'] = locale;
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (opts.body instanceof FormData) {
      body = opts.body;
    } else if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    return doFetch(`${baseUrl}${path}${buildQuery(opts.query)}`, {
      method: opts.method ?? 'GET',
      headers,
      body,
      credentials: 'include',
      signal: opts.signal,
    });
  }

  /**
   * Trade the refresh cookie for a new access token. Every caller that arrives while a refresh is in flight gets
   * the same promise, so a burst of 401s costs one refresh (the server rotates the cookie: a second, parallel
   * refresh would present an already-used token and fail).
   */
  function refreshSession(): Promise<boolean> {
    if (refreshing) return refreshing;
    const once = async (): Promise<'ok' | 'refused' | 'failed'> => {
      try {
        const response = await doFetch(`${baseUrl}/auth/refresh`, {
          method: 'POST',
          headers: { Accept: 'application/json' },
          credentials: 'include',
        });
        if (!response.ok) return response.status === 401 ? 'refused' : 'failed';
        const data = (await response.json()) as RefreshResponse;
        if (typeof data?.accessToken !== 'string') return 'failed';
        hooks.setAccessToken(data.accessToken);
        return 'ok';
      } catch {
        return 'failed';
      }
    };
    const attempt = (async () => {
      // Other tabs share the cookie: one refresh at a time across them (Web Locks), so each presents the cookie the
      // one before it left, and a refusal is final (a signed-out visit asks once). Without locks, a tab that loses
      // the race is refused while the cookie is already the winner's successor: one more try with it.
      let result = await oneTabAtATime(once);
      if (result === 'refused' && !webLocks()) result = await oneTabAtATime(once);
      return result === 'ok';
    })();
    refreshing = attempt;
    void attempt.finally(() => {
      if (refreshing === attempt) refreshing = null;
    });
    return attempt;
  }

  function sessionExpiredError(): ApiError {
    return new ApiError({ status: 401, code: CLIENT_ERROR_CODES.sessionExpired, message: 'Session expired' });
  }

  async function sendOrThrow(path: string, opts: RequestOptions, token: string | null): Promise<Response> {
    try {
      return await send(path, opts, token);
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      const error = new ApiError({ status: 0, code: CLIENT_ERROR_CODES.network, message: 'Network error' });
      if (!opts.silent) hooks.notifyError(error);
      throw error;
    }
  }

  /**
   * The successful `Response` itself, for bodies the caller reads on its own (event streams, file downloads); auth,
   * refresh and errors work exactly as for `request`.
   */
  async function open(path: string, opts: RequestOptions = {}): Promise<Response> {
    const token = hooks.getAccessToken();
    let response = await sendOrThrow(path, opts, token);

    if (response.status === 401 && !opts.skipAuthRefresh) {
      // Another request may already have renewed the token while this one was on the wire.
      const current = hooks.getAccessToken();
      const renewed = current !== null && current !== token ? true : await refreshSession();
      if (renewed) response = await sendOrThrow(path, opts, hooks.getAccessToken());
      if (!renewed || response.status === 401) {
        hooks.onSessionExpired();
        throw sessionExpiredError();
      }
    }

    if (!response.ok) {
      const error = await ApiError.fromResponse(response);
      // A disabled account is as final as a revoked session, whichever status the server chose for it.
      if (error.code === 'ACCOUNT_DISABLED' && !opts.skipAuthRefresh) {
        hooks.onSessionExpired();
        throw error;
      }
      if (!opts.silent) hooks.notifyError(error);
      throw error;
    }
    return response;
  }

  async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return (await readBody(await open(path, opts))) as T;
  }

  async function readBody(response: Response): Promise<unknown> {
    if (response.status === 204 || response.status === 205) return undefined;
    const text = await response.text();
    if (!text) return undefined;
    const type = response.headers.get('Content-Type') ?? '';
    if (!type.includes('json')) return text;
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError({ status: response.status, code: CLIENT_ERROR_CODES.badResponse, message: 'Malformed JSON' });
    }
  }

  type BodylessOptions = Omit<RequestOptions, 'method' | 'body'>;

  return {
    configure,
    refreshSession,
    request,
    open,
    get: <T>(path: string, opts?: BodylessOptions) => request<T>(path, { ...opts, method: 'GET' }),
    delete: <T>(path: string, opts?: BodylessOptions) => request<T>(path, { ...opts, method: 'DELETE' }),
    post: <T>(path: string, body?: unknown, opts?: BodylessOptions) =>
      request<T>(path, { ...opts, method: 'POST', body }),
    put: <T>(path: string, body?: unknown, opts?: BodylessOptions) =>
      request<T>(path, { ...opts, method: 'PUT', body }),
    patch: <T>(path: string, body?: unknown, opts?: BodylessOptions) =>
      request<T>(path, { ...opts, method: 'PATCH', body }),
  };
}

export type HttpClient = ReturnType<typeof createHttpClient>;

/** The app-wide client; `installSession` connects its hooks to the auth store, router and toasts. */
export const http = createHttpClient();
