import { describe, expect, it, vi } from 'vitest';
import { ApiError, buildQuery, createHttpClient, type HttpHooks } from './http';

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const envelope = (statusCode: number, code: string, message = code) => ({
  statusCode,
  code,
  message,
  requestId: 'req-1',
});

/** A fake server: records every call and answers through `handler`. */
function setup(handler: Handler, initialToken: string | null = 'old-token') {
  const calls: { url: string; init: RequestInit }[] = [];
  let token = initialToken;
  const hooks = {
    getAccessToken: () => token,
    setAccessToken: vi.fn((next: string | null) => {
      token = next;
    }),
    onSessionExpired: vi.fn(() => {
      token = null;
    }),
    notifyError: vi.fn(),
    getLocale: () => 'en',
  } satisfies HttpHooks;
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({ url, init });
    return handler(url, init);
  });
  const client = createHttpClient({ fetch: fetch as unknown as typeof globalThis.fetch, hooks });
  return { client, hooks, calls, token: () => token };
}

const authHeader = (init: RequestInit) => (init.headers as Record<string, string>).Authorization;

describe('http client', () => {
  it('sends the bearer token, cookies, JSON body and query string to /api', async () => {
    const { client, calls } = setup(() => json(200, { ok: true }));

    const result = await client.post<{ ok: boolean }>('/things', { a: 1 }, { query: { page: 2, search: '' } });

    expect(result).toEqual({ ok: true });
    expect(calls).toHaveLength(1);
    const [{ url, init }] = calls;
    expect(url).toBe('/api/things?page=2');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('include');
    expect(authHeader(init)).toBe('Bearer old-token');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(init.body).toBe('{"a":1}');
  });

  it('sends FormData as multipart, letting the browser set the boundary', async () => {
    const { client, calls } = setup(() => json(200, {}));
    const form = new FormData();
    form.append('file', new Blob(['x'], { type: 'image/png' }), 'a.png');

    await client.post('/upload', form);

    expect(calls[0]!.init.body).toBe(form);
    expect((calls[0]!.init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
  });

  it('returns undefined for 204 No Content', async () => {
    const { client } = setup(() => new Response(null, { status: 204 }));
    await expect(client.post('/auth/me/password', {})).resolves.toBeUndefined();
  });

  it('turns an error envelope into an ApiError and toasts it once', async () => {
    const { client, hooks } = setup(() =>
      json(409, { ...envelope(409, 'CANNOT_MODIFY_SELF', 'You cannot change yourself'), details: [{ path: 'role' }] }),
    );

    const error = await client.patch('/admin/users/1', { role: 'user' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'CANNOT_MODIFY_SELF',
      message: 'You cannot change yourself',
      details: [{ path: 'role' }],
      requestId: 'req-1',
    });
    expect(hooks.notifyError).toHaveBeenCalledTimes(1);
    expect(hooks.notifyError).toHaveBeenCalledWith(error);
  });

  it('does not toast when the caller shows the error inline', async () => {
    const { client, hooks } = setup(() => json(400, envelope(400, 'VALIDATION_FAILED')));
    await expect(client.post('/auth/register', {}, { silent: true })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(hooks.notifyError).not.toHaveBeenCalled();
  });

  it('reads Retry-After on 429', async () => {
    const { client } = setup(() => json(429, envelope(429, 'TOO_MANY_ATTEMPTS'), { 'Retry-After': '42' }));
    await expect(client.post('/auth/login', {}, { skipAuthRefresh: true })).rejects.toMatchObject({
      status: 429,
      retryAfter: 42,
    });
  });

  it('gives a response without an envelope (a proxy error page) an HTTP_<status> code', async () => {
    const { client } = setup(
      () => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    await expect(client.get('/health')).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
  });

  it('reports an unreachable server as NETWORK_ERROR', async () => {
    const { client, hooks } = setup(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(client.get('/auth/me')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
    expect(hooks.notifyError).toHaveBeenCalledTimes(1);
  });

  describe('401 handling', () => {
    it('refreshes once for two parallel 401s and retries both with the new token', async () => {
      let releaseRefresh!: () => void;
      const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
      const { client, calls, hooks } = setup(async (url, init) => {
        if (url === '/api/auth/refresh') {
          await refreshGate; // keep the refresh in flight until both requests have hit their 401
          return json(200, { accessToken: 'new-token', expiresIn: 900 });
        }
        if (authHeader(init) === 'Bearer new-token') return json(200, { url });
        return json(401, envelope(401, 'UNAUTHORIZED'));
      });

      const both = Promise.all([client.get<{ url: string }>('/a'), client.get<{ url: string }>('/b')]);
      await vi.waitFor(() => expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1));
      releaseRefresh();

      await expect(both).resolves.toEqual([{ url: '/api/a' }, { url: '/api/b' }]);
      expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
      expect(calls.map((c) => c.url).sort()).toEqual(['/api/a', '/api/a', '/api/auth/refresh', '/api/b', '/api/b']);
      // The refresh itself travels on the cookie alone.
      const refreshCall = calls.find((c) => c.url === '/api/auth/refresh')!;
      expect(refreshCall.init.method).toBe('POST');
      expect(refreshCall.init.credentials).toBe('include');
      expect(authHeader(refreshCall.init)).toBeUndefined();
      expect(hooks.setAccessToken).toHaveBeenCalledWith('new-token');
      expect(hooks.onSessionExpired).not.toHaveBeenCalled();
      expect(hooks.notifyError).not.toHaveBeenCalled();
    });

    it('retries with a token another request renewed meanwhile instead of refreshing again', async () => {
      const { client, calls } = setup((url, init) => {
        if (url === '/api/auth/refresh') return json(200, { accessToken: 'new-token', expiresIn: 900 });
        return authHeader(init) === 'Bearer new-token' ? json(200, {}) : json(401, envelope(401, 'UNAUTHORIZED'));
      });
      await client.get('/first');
      calls.length = 0;

      await client.get('/second');

      expect(calls.map((c) => c.url)).toEqual(['/api/second']);
    });

    it('ends the session when the refresh is refused, without retrying or toasting', async () => {
      const { client, calls, hooks, token } = setup((url) =>
        url === '/api/auth/refresh'
          ? json(401, envelope(401, 'INVALID_REFRESH_TOKEN'))
          : json(401, envelope(401, 'UNAUTHORIZED')),
      );

      const results = await Promise.allSettled([client.get('/a'), client.get('/b')]);

      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toMatchObject({ status: 401, code: 'SESSION_EXPIRED' });
      }
      // Without Web Locks: refused once more with the cookie another tab may have rotated meanwhile; then it is over.
      expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(2);
      expect(calls.filter((c) => c.url !== '/api/auth/refresh')).toHaveLength(2); // no retries
      expect(hooks.onSessionExpired).toHaveBeenCalled();
      expect(token()).toBeNull();
      expect(hooks.notifyError).not.toHaveBeenCalled();
    });

    it('asks once where tabs take turns (Web Locks): a refusal then is final, as on a signed-out visit', async () => {
      vi.stubGlobal('navigator', { ...navigator, locks: { request: (_name: string, work: () => unknown) => work() } });
      try {
        const { client, calls, hooks } = setup((url) =>
          url === '/api/auth/refresh'
            ? json(401, envelope(401, 'INVALID_REFRESH_TOKEN'))
            : json(401, envelope(401, 'UNAUTHORIZED')),
        );
        await expect(client.get('/a')).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
        expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
        expect(hooks.onSessionExpired).toHaveBeenCalled();
      } finally {
        vi.unstubAllGlobals();
      }
    });

    it('refreshes again when another tab rotated the shared cookie first (a concurrent refresh is refused)', async () => {
      let refreshes = 0;
      const { client, calls, token } = setup((url, init) => {
        if (url === '/api/auth/refresh') {
          refreshes += 1;
          return refreshes === 1
            ? json(401, envelope(401, 'INVALID_REFRESH_TOKEN'))
            : json(200, { accessToken: 'new-token', expiresIn: 900 });
        }
        return authHeader(init) === 'Bearer new-token'
          ? json(200, { ok: true })
          : json(401, envelope(401, 'UNAUTHORIZED'));
      });

      await expect(client.get('/a')).resolves.toEqual({ ok: true });
      expect(calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(2);
      expect(token()).toBe('new-token');
    });

    it('ends the session when the retry is still unauthorised', async () => {
      const { client, hooks } = setup((url) =>
        url === '/api/auth/refresh'
          ? json(200, { accessToken: 'new-token', expiresIn: 900 })
          : json(401, envelope(401, 'UNAUTHORIZED')),
      );
      await expect(client.get('/a')).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
      expect(hooks.onSessionExpired).toHaveBeenCalledTimes(1);
    });

    it('leaves a 401 alone when the caller opts out of refreshing (wrong password at login)', async () => {
      const { client, calls, hooks } = setup(() => json(401, envelope(401, 'INVALID_CREDENTIALS')));

      await expect(client.post('/auth/login', {}, { skipAuthRefresh: true, silent: true })).rejects.toMatchObject({
        status: 401,
        code: 'INVALID_CREDENTIALS',
      });
      expect(calls).toHaveLength(1);
      expect(hooks.onSessionExpired).not.toHaveBeenCalled();
    });

    it('treats ACCOUNT_DISABLED on an authenticated call as the end of the session', async () => {
      const { client, hooks } = setup(() => json(403, envelope(403, 'ACCOUNT_DISABLED')));
      await expect(client.get('/auth/me')).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED' });
      expect(hooks.onSessionExpired).toHaveBeenCalledTimes(1);
    });
  });

  it('refreshSession reports failure when the server is unreachable', async () => {
    const { client } = setup(() => {
      throw new TypeError('Failed to fetch');
    });
    await expect(client.refreshSession()).resolves.toBe(false);
  });
});

describe('buildQuery', () => {
  it('drops empty values and encodes the rest', () => {
    expect(buildQuery({ search: 'a b&c', role: undefined, isActive: false, page: 1, x: null, y: '' })).toBe(
      '?search=a+b%26c&isActive=false&page=1',
    );
    expect(buildQuery({})).toBe('');
  });
});
