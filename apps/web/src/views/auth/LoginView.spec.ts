import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '@/i18n';
import { anonymousRoutes, errorResponse, jsonResponse, makeUser } from '@/test-utils/fake-api';
import { mountApp, settle } from '@/test-utils/mount-app';
import { waitFor } from '@/test-utils/wait';

// Whole-app tests load lazy route chunks; give them room on slow machines.
vi.setConfig({ testTimeout: 20_000 });

beforeEach(() => {
  localStorage.clear();
  localStorage.setItem('modelyard:locale', 'en');
});

afterEach(() => {
  document.body.innerHTML = '';
  i18n.global.locale.value = 'en';
  vi.unstubAllGlobals();
});

async function fillAndSubmit(
  wrapper: Awaited<ReturnType<typeof mountApp>>['wrapper'],
  email: string,
  password: string,
) {
  await wrapper.get('[data-testid="login-email"]').setValue(email);
  await wrapper.get('[data-testid="login-password"]').setValue(password);
  await wrapper.get('form').trigger('submit');
  await settle();
}

describe('LoginView', () => {
  it('has labelled fields, the test ids and a link to registration', async () => {
    const { wrapper } = await mountApp('/login', anonymousRoutes());
    const email = wrapper.get('input[data-testid="login-email"]');
    const label = wrapper.get(`label[for="${email.attributes('id')}"]`);
    expect(label.text()).toBe('Email');
    expect(wrapper.get('[data-testid="login-password"]').attributes('type')).toBe('password');
    expect(wrapper.get('[data-testid="login-submit"]').attributes('type')).toBe('submit');
    expect(wrapper.get('[data-testid="to-register"]').attributes('href')).toBe('/register');
  });

  it('offers no registration link while registration is closed', async () => {
    const { wrapper } = await mountApp('/login', {
      ...anonymousRoutes(),
      'GET /api/settings/public': () => jsonResponse(200, { registrationOpen: false }),
    });
    await waitFor(() => expect(wrapper.find('[data-testid="login-submit"]').exists()).toBe(true));
    await settle();
    expect(wrapper.find('[data-testid="to-register"]').exists()).toBe(false);
  });

  it.each([
    [errorResponse(401, 'INVALID_CREDENTIALS'), 'Wrong email or password.'],
    [errorResponse(403, 'ACCOUNT_DISABLED'), 'This account has been disabled. Contact an administrator.'],
    [
      jsonResponse(
        429,
        { statusCode: 429, code: 'TOO_MANY_ATTEMPTS', message: 'slow down', requestId: 'r' },
        { 'Retry-After': '30' },
      ),
      'Too many sign-in attempts. Try again in 30 seconds.',
    ],
    [
      jsonResponse(
        429,
        { statusCode: 429, code: 'TOO_MANY_ATTEMPTS', message: 'slow down', requestId: 'r' },
        { 'Retry-After': '897' },
      ),
      'Too many sign-in attempts. Try again in 15 minutes.',
    ],
  ])('shows a refused sign-in inside the form (%#)', async (response, text) => {
    const { wrapper, router, notifyError } = await mountApp('/login', {
      ...anonymousRoutes(),
      'POST /api/auth/login': () => response.clone(),
    });
    await fillAndSubmit(wrapper, 'ada@example.com', 'whatever1');

    expect(wrapper.get('[data-testid="login-error"]').text()).toContain(text);
    expect(router.currentRoute.value.name).toBe('login');
    expect(notifyError).not.toHaveBeenCalled(); // inline, not a toast
  });

  it('signs in and continues to the page the visitor came for', async () => {
    const user = makeUser({ preferences: { locale: 'zh-CN' } });
    const { wrapper, router, api } = await mountApp('/login?redirect=/datasets', {
      ...anonymousRoutes(),
      'POST /api/auth/login': () => jsonResponse(200, { accessToken: 'access-1', expiresIn: 900, user }),
      'GET /api/auth/me': () => jsonResponse(200, { user }),
    });
    await fillAndSubmit(wrapper, ' Ada@Example.com ', 'correct-horse-1');

    expect(api.calls.find((c) => c.path === '/api/auth/login')?.body).toEqual({
      email: 'ada@example.com',
      password: 'correct-horse-1',
    });
    await waitFor(() => expect(router.currentRoute.value.path).toBe('/datasets'));
    await waitFor(() => expect(wrapper.find('[data-testid="coming-soon"]').exists()).toBe(true));
    // The language saved on the account replaces the browser's.
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(wrapper.get('[data-testid="coming-soon"]').text()).toContain('数据集');
  });
});
