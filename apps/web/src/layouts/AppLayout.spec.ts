import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '@/i18n';
import { STORAGE_KEYS } from '@/stores/preferences';
import { jsonResponse, makeUser, signedInRoutes } from '@/test-utils/fake-api';
import { mountApp, settle } from '@/test-utils/mount-app';
import { waitFor } from '@/test-utils/wait';

// Whole-app tests load lazy route chunks; give them room on slow machines.
vi.setConfig({ testTimeout: 20_000 });

const SECTION_IDS = ['chat', 'compare', 'arena', 'prompts', 'teams', 'models', 'datasets', 'batch-jobs', 'training'];

beforeEach(() => {
  localStorage.clear();
  localStorage.setItem(STORAGE_KEYS.locale, 'en');
  localStorage.setItem(STORAGE_KEYS.theme, 'light');
});

afterEach(() => {
  document.body.innerHTML = '';
  document.documentElement.classList.remove('dark');
  i18n.global.locale.value = 'en';
  vi.unstubAllGlobals();
});

async function shell(role: 'user' | 'admin', path = '/chat') {
  const user = makeUser({ role });
  const app = await mountApp(path, {
    ...signedInRoutes(user),
    'PATCH /api/auth/me': ({ body }) => jsonResponse(200, { user: { ...user, ...(body as object) } }),
    'POST /api/auth/logout': () => new Response(null, { status: 204 }),
  });
  await waitFor(() => expect(app.wrapper.find('[data-testid="sidebar"]').exists()).toBe(true));
  return app;
}

describe('app shell', () => {
  it('lists every product section; a section without a page shows the coming-soon view', async () => {
    const { wrapper, router } = await shell('user');
    for (const id of SECTION_IDS) expect(wrapper.find(`[data-testid="nav-${id}"]`).exists(), id).toBe(true);
    // Every entry is a real link (keyboard, open in a new tab).
    for (const id of SECTION_IDS) {
      expect(wrapper.get(`[data-testid="nav-${id}"] a`).attributes('href'), id).toMatch(/^\/[a-z-]+/);
    }

    await wrapper.get('[data-testid="nav-training"] a').trigger('click');
    await waitFor(() => expect(router.currentRoute.value.path).toBe('/training'));
    await settle();
    const page = wrapper.get('[data-testid="coming-soon"]');
    expect(page.text()).toContain('Training');
    expect(page.text()).toContain('Coming soon');
    expect(wrapper.get('h1').text()).toBe('Training');
  });

  it('shows the admin group to admins only', async () => {
    const user = await shell('user');
    expect(user.wrapper.find('[data-testid="nav-admin"]').exists()).toBe(false);
    user.wrapper.unmount();

    const admin = await shell('admin');
    expect(admin.wrapper.find('[data-testid="nav-admin"]').exists()).toBe(true);
    expect(admin.wrapper.find('[data-testid="nav-admin-users"]').exists()).toBe(true);
  });

  it('the Admin group stays open and its title leads to the first admin page', async () => {
    const { wrapper, router } = await shell('admin');
    await wrapper.get('[data-testid="nav-admin"] .el-sub-menu__title').trigger('click');
    await waitFor(() => expect(router.currentRoute.value.path).toBe('/admin/users'));
    await settle();
    expect(wrapper.get('[data-testid="nav-admin"]').classes()).toContain('is-opened');

    await wrapper.get('[data-testid="nav-admin-settings"] a').trigger('click');
    await waitFor(() => expect(router.currentRoute.value.path).toBe('/admin/settings'));
  });

  it('collapses the sidebar and remembers it', async () => {
    const { wrapper } = await shell('user');
    const toggle = wrapper.get('[data-testid="sidebar-toggle"]');
    expect(toggle.attributes('aria-expanded')).toBe('true');

    await toggle.trigger('click');
    expect(wrapper.get('[data-testid="sidebar"]').classes()).toContain('is-collapsed');
    expect(toggle.attributes('aria-expanded')).toBe('false');
    await settle();
    expect(localStorage.getItem(STORAGE_KEYS.sidebarCollapsed)).toBe('true');
  });

  it('theme-toggle cycles light → dark → system and saves the choice on the account', async () => {
    const { wrapper, api } = await shell('user');
    const toggle = () => wrapper.get('[data-testid="theme-toggle"]');
    expect(toggle().attributes('data-theme-mode')).toBe('light');

    await toggle().trigger('click');
    await settle();
    expect(toggle().attributes('data-theme-mode')).toBe('dark');
    expect(document.documentElement.classList.contains('dark')).toBe(true);
    expect(api.calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      preferences: { theme: 'dark', locale: 'en' },
    });

    await toggle().trigger('click');
    await settle();
    expect(toggle().attributes('data-theme-mode')).toBe('system');
  });

  it('locale-switch flips the language of the whole UI and <html lang>', async () => {
    const { wrapper } = await shell('user');
    const button = wrapper.get('[data-testid="locale-switch"]');
    expect(button.get('.locale-switch__full').text()).toBe('简体中文');
    expect(button.get('.locale-switch__short').text()).toBe('中');

    await button.trigger('click');
    await settle();
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(wrapper.get('[data-testid="nav-chat"]').text()).toBe('对话');
    expect(wrapper.get('[data-testid="locale-switch"] .locale-switch__full').text()).toBe('English');
  });

  it('logs out from the user menu', async () => {
    const { wrapper, router, api } = await shell('user');
    await wrapper.get('[data-testid="user-menu"]').trigger('click');
    await settle();
    const logout = document.querySelector<HTMLElement>('[data-testid="logout"]');
    expect(logout).not.toBeNull();
    logout!.click();
    await waitFor(() => expect(router.currentRoute.value.name).toBe('login'));
    expect(api.count('POST /api/auth/logout')).toBe(1);
  });
});
