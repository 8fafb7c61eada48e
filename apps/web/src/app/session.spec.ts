import { ElMessage } from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { adminApi } from '@/api/admin';
import { createAppRouter } from '@/router';
import { useAuthStore } from '@/stores/auth';
import {
  anonymousRoutes,
  errorResponse,
  installFakeApi,
  jsonResponse,
  makeUser,
  signedInRoutes,
  type Route,
} from '@/test-utils/fake-api';
import { installSession } from './session';
import { waitFor } from '@/test-utils/wait';

// Whole-app tests load lazy route chunks; give them room on slow machines.
vi.setConfig({ testTimeout: 20_000 });

vi.mock('element-plus', async (importOriginal) => {
  const actual = await importOriginal<typeof import('element-plus')>();
  const message = Object.assign(vi.fn(), { warning: vi.fn(), success: vi.fn(), error: vi.fn(), info: vi.fn() });
  return { ...actual, ElMessage: message };
});

function boot(routes: Record<string, Route>) {
  const api = installFakeApi(routes);
  const pinia = createPinia();
  setActivePinia(pinia);
  const router = createAppRouter(createMemoryHistory());
  const notifyError = vi.fn();
  installSession(router, pinia, { notifyError });
  return { api, router, auth: useAuthStore(pinia), notifyError };
}

beforeEach(() => {
  localStorage.clear();
  vi.mocked(ElMessage.warning).mockClear();
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('route guards', () => {
  it('sends an anonymous visitor to /login with the page as redirect', async () => {
    const { router } = boot(anonymousRoutes());
    await router.push('/datasets?x=1');
    expect(router.currentRoute.value.name).toBe('login');
    expect(router.currentRoute.value.query.redirect).toBe('/datasets?x=1');
  });

  it('restores the session from the refresh cookie on the first navigation', async () => {
    const user = makeUser();
    const { router, auth, api } = boot(signedInRoutes(user));
    await router.push('/');
    expect(router.currentRoute.value.path).toBe('/chat');
    expect(auth.user).toEqual(user);
    expect(auth.accessToken).toBe('access-1');
    expect(api.count('POST /api/auth/refresh')).toBe(1);
    expect(api.count('GET /api/auth/me')).toBe(1);
  });

  it('sends a signed-in user away from /login, honouring a safe redirect', async () => {
    const { router } = boot(signedInRoutes(makeUser()));
    await router.push('/login');
    expect(router.currentRoute.value.path).toBe('/chat');
    await router.push('/login?redirect=/profile');
    expect(router.currentRoute.value.path).toBe('/profile');
    await router.push('/login?redirect=//evil.example.com');
    expect(router.currentRoute.value.path).toBe('/chat');
  });

  it('keeps non-admins out of /admin/* with a toast', async () => {
    const { router } = boot(signedInRoutes(makeUser({ role: 'user' })));
    await router.push('/admin/users');
    expect(router.currentRoute.value.path).toBe('/chat');
    expect(ElMessage.warning).toHaveBeenCalledTimes(1);
  });

  it('lets admins into /admin/*', async () => {
    const { router } = boot(signedInRoutes(makeUser({ role: 'admin' })));
    await router.push('/admin');
    expect(router.currentRoute.value.path).toBe('/admin/users');
  });

  it('shows the 404 page for unknown paths', async () => {
    const { router } = boot(anonymousRoutes());
    await router.push('/no/such/page');
    expect(router.currentRoute.value.name).toBe('not-found');
  });
});

describe('session end', () => {
  it('a failed refresh clears auth and sends the tab to /login?redirect=<page>', async () => {
    const { router, auth, api } = boot(signedInRoutes(makeUser()));
    await router.push('/models');
    expect(auth.isAuthenticated).toBe(true);

    // An admin disables the account: the access token stops working and the refresh is refused.
    api.on('GET /api/admin/users', () => errorResponse(401, 'UNAUTHORIZED'));
    api.on('POST /api/auth/refresh', () => errorResponse(401, 'INVALID_REFRESH_TOKEN'));

    await expect(adminApi.listUsers({ page: 1, pageSize: 20 })).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });

    await waitFor(() => expect(router.currentRoute.value.name).toBe('login'));
    expect(router.currentRoute.value.query.redirect).toBe('/models');
    expect(auth.user).toBeNull();
    expect(auth.accessToken).toBeNull();
    expect(ElMessage.warning).toHaveBeenCalledTimes(1);
  });

  it('notices a disabled account at the next in-app navigation, even on a page without API calls', async () => {
    const { router, auth, api } = boot(signedInRoutes(makeUser()));
    await router.push('/chat');

    api.on('GET /api/auth/me', () => errorResponse(401, 'UNAUTHORIZED'));
    api.on('POST /api/auth/refresh', () => errorResponse(401, 'INVALID_REFRESH_TOKEN'));
    await router.push('/compare');

    await waitFor(() => expect(router.currentRoute.value.name).toBe('login'));
    expect(router.currentRoute.value.query.redirect).toBe('/compare');
    expect(auth.isAuthenticated).toBe(false);
  });

  it('an expired access token is renewed silently and the call succeeds', async () => {
    const { router, api, auth } = boot(signedInRoutes(makeUser({ role: 'admin' })));
    await router.push('/admin/users');

    let refreshed = 0;
    api.on('POST /api/auth/refresh', () =>
      jsonResponse(200, { accessToken: `access-${2 + refreshed++}`, expiresIn: 900 }),
    );
    api.on('GET /api/admin/users', ({ init }) =>
      (init.headers as Record<string, string>).Authorization === 'Bearer access-2'
        ? jsonResponse(200, { items: [], total: 0, page: 1, pageSize: 20 })
        : errorResponse(401, 'UNAUTHORIZED'),
    );

    await expect(adminApi.listUsers({ page: 1, pageSize: 20 })).resolves.toMatchObject({ total: 0 });
    expect(auth.accessToken).toBe('access-2');
    expect(router.currentRoute.value.path).toBe('/admin/users');
  });

  it('leaves an admin page when a revalidation shows the admin role is gone', async () => {
    const admin = makeUser({ role: 'admin' });
    const { router, api } = boot(signedInRoutes(admin));
    await router.push('/admin/users');

    api.on('GET /api/auth/me', () => jsonResponse(200, { user: { ...admin, role: 'user' } }));
    await router.push('/admin/settings').catch(() => undefined);

    await waitFor(() => expect(router.currentRoute.value.path).toBe('/chat'));
  });
});
