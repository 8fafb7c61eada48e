import type { User } from '@modelyard/contracts';
import { vi } from 'vitest';

export type Route = (request: { url: URL; init: RequestInit; body: unknown }) => Response | Promise<Response>;

export const jsonResponse = (status: number, body?: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

export const errorResponse = (status: number, code: string, message = code) =>
  jsonResponse(status, { statusCode: status, code, message, requestId: 'test-request' });

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    email: 'ada@example.com',
    nickname: 'Ada',
    role: 'user',
    isActive: true,
    avatarUrl: null,
    preferences: {},
    createdAt: '2025-01-02T03:04:05.000Z',
    lastLoginAt: null,
    ...overrides,
  };
}

/**
 * Replaces global fetch with a tiny in-memory API: routes are keyed "METHOD /path" (without the query string) and
 * can be swapped during a test. Unknown routes answer 404 ROUTE_NOT_FOUND. Every call is recorded.
 */
export function installFakeApi(initial: Record<string, Route> = {}) {
  const routes = new Map(Object.entries(initial));
  const calls: { method: string; path: string; url: URL; init: RequestInit; body: unknown }[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
    calls.push({ method, path: url.pathname, url, init, body });
    const route = routes.get(`${method} ${url.pathname}`);
    return route ? route({ url, init, body }) : errorResponse(404, 'ROUTE_NOT_FOUND');
  });
  vi.stubGlobal('fetch', fetch);
  return {
    calls,
    fetch,
    on(key: string, route: Route) {
      routes.set(key, route);
    },
    count: (key: string) => calls.filter((c) => `${c.method} ${c.path}` === key).length,
  };
}

/** Routes for a browser that holds a valid refresh cookie for `user`. */
export function signedInRoutes(user: User): Record<string, Route> {
  return {
    'POST /api/auth/refresh': () => jsonResponse(200, { accessToken: 'access-1', expiresIn: 900 }),
    'GET /api/auth/me': ({ init }) =>
      (init.headers as Record<string, string>).Authorization === 'Bearer access-1'
        ? jsonResponse(200, { user })
        : errorResponse(401, 'UNAUTHORIZED'),
  };
}

export const anonymousRoutes = (): Record<string, Route> => ({
  'POST /api/auth/refresh': () => errorResponse(401, 'INVALID_REFRESH_TOKEN'),
  'GET /api/auth/me': () => errorResponse(401, 'UNAUTHORIZED'),
});
