import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick } from 'vue';
import { i18n } from '@/i18n';
import { installFakeApi, jsonResponse, makeUser } from '@/test-utils/fake-api';
import { useAuthStore } from './auth';
import { STORAGE_KEYS, nextThemeMode, resolveTheme, usePreferencesStore } from './preferences';

/** A controllable `prefers-color-scheme: dark` media query. */
function fakeSystemTheme(initiallyDark: boolean) {
  let matches = initiallyDark;
  const listeners = new Set<(event: { matches: boolean }) => void>();
  const query = {
    get matches() {
      return matches;
    },
    media: '(prefers-color-scheme: dark)',
    onchange: null,
    addEventListener: (_type: string, listener: (event: { matches: boolean }) => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: (event: { matches: boolean }) => void) => listeners.delete(listener),
    addListener: (listener: (event: { matches: boolean }) => void) => listeners.add(listener),
    removeListener: (listener: (event: { matches: boolean }) => void) => listeners.delete(listener),
    dispatchEvent: () => true,
  };
  Object.defineProperty(window, 'matchMedia', { configurable: true, writable: true, value: vi.fn(() => query) });
  return {
    set(dark: boolean) {
      matches = dark;
      listeners.forEach((listener) => listener({ matches: dark }));
    },
  };
}

const html = document.documentElement;

function freshStore() {
  setActivePinia(createPinia());
  return usePreferencesStore();
}

beforeEach(() => {
  localStorage.clear();
  html.classList.remove('dark');
  html.lang = '';
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('theme resolution', () => {
  it('resolves "system" from the OS preference and explicit modes as themselves', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('cycles system → light → dark → system', () => {
    expect(nextThemeMode('system')).toBe('light');
    expect(nextThemeMode('light')).toBe('dark');
    expect(nextThemeMode('dark')).toBe('system');
  });
});

describe('preferences store', () => {
  it('follows the system theme by default, live', async () => {
    const system = fakeSystemTheme(true);
    const store = freshStore();
    await nextTick();

    expect(store.theme).toBe('system');
    expect(store.resolvedTheme).toBe('dark');
    expect(html.classList.contains('dark')).toBe(true);

    system.set(false);
    await nextTick();
    expect(store.resolvedTheme).toBe('light');
    expect(html.classList.contains('dark')).toBe(false);
  });

  it('an explicit theme overrides the system, is stored, and is read back on the next visit', async () => {
    fakeSystemTheme(true);
    const store = freshStore();
    await store.setTheme('light');
    await nextTick();

    expect(html.classList.contains('dark')).toBe(false);
    expect(localStorage.getItem(STORAGE_KEYS.theme)).toBe('light');

    const nextVisit = freshStore();
    expect(nextVisit.theme).toBe('light');
  });

  it('cycleTheme walks through the three modes and applies each', async () => {
    fakeSystemTheme(false);
    const store = freshStore();
    const seen: [string, boolean][] = [];
    for (let i = 0; i < 3; i++) {
      await store.cycleTheme();
      await nextTick();
      seen.push([store.theme, html.classList.contains('dark')]);
    }
    expect(seen).toEqual([
      ['light', false],
      ['dark', true],
      ['system', false],
    ]);
  });

  it('ignores a corrupt stored value', () => {
    fakeSystemTheme(false);
    localStorage.setItem(STORAGE_KEYS.theme, 'purple');
    localStorage.setItem(STORAGE_KEYS.locale, 'fr');
    vi.stubGlobal('navigator', { language: 'en-GB' });
    const store = freshStore();
    expect(store.theme).toBe('system');
    expect(store.locale).toBe('en');
  });

  it('picks zh-CN for a Chinese browser on the first visit', () => {
    fakeSystemTheme(false);
    vi.stubGlobal('navigator', { language: 'zh-TW' });
    expect(freshStore().locale).toBe('zh-CN');
  });

  it('switching language updates vue-i18n, <html lang> and storage', async () => {
    fakeSystemTheme(false);
    const store = freshStore();
    await store.setLocale('zh-CN');
    await nextTick();

    expect(i18n.global.locale.value).toBe('zh-CN');
    expect(i18n.global.t('nav.chat')).toBe('对话');
    expect(html.lang).toBe('zh-CN');
    expect(localStorage.getItem(STORAGE_KEYS.locale)).toBe('zh-CN');

    await store.setLocale('en');
    await nextTick();
    expect(html.lang).toBe('en');
    expect(i18n.global.t('nav.chat')).toBe('Chat');
  });

  it('server preferences win over local ones after sign-in; missing or invalid fields keep the local choice', async () => {
    fakeSystemTheme(false);
    localStorage.setItem(STORAGE_KEYS.theme, 'light');
    localStorage.setItem(STORAGE_KEYS.locale, 'en');
    const store = freshStore();

    store.adoptServerPreferences({ theme: 'dark' });
    await nextTick();
    expect(store.theme).toBe('dark');
    expect(store.locale).toBe('en');
    expect(localStorage.getItem(STORAGE_KEYS.theme)).toBe('dark');

    store.adoptServerPreferences({ locale: 'xx' } as never);
    expect(store.locale).toBe('en');
  });

  it('saves changes on the signed-in user, and only when signed in', async () => {
    fakeSystemTheme(false);
    const user = makeUser();
    const api = installFakeApi({
      'PATCH /api/auth/me': ({ body }) =>
        jsonResponse(200, { user: { ...user, preferences: (body as { preferences: object }).preferences } }),
    });
    const store = freshStore();

    await store.setTheme('dark');
    expect(api.count('PATCH /api/auth/me')).toBe(0);

    const auth = useAuthStore();
    auth.setAccessToken('token');
    auth.setUser(user);
    await store.setLocale('zh-CN');

    expect(api.count('PATCH /api/auth/me')).toBe(1);
    const call = api.calls.find((c) => c.method === 'PATCH')!;
    expect(call.body).toEqual({ preferences: { theme: 'dark', locale: 'zh-CN' } });
    expect(auth.user?.preferences).toEqual({ theme: 'dark', locale: 'zh-CN' });
  });

  it('chat choices (answers only, Enter sends) default sensibly, are saved once chosen, and follow the account', async () => {
    fakeSystemTheme(false);
    const user = makeUser();
    const api = installFakeApi({
      'PATCH /api/auth/me': ({ body }) =>
        jsonResponse(200, { user: { ...user, preferences: (body as { preferences: object }).preferences } }),
    });
    const store = freshStore();
    expect(store.answersOnly).toBe(false);
    expect(store.enterToSend).toBe(true);

    const auth = useAuthStore();
    auth.setAccessToken('token');
    auth.setUser(user);
    await store.setAnswersOnly(true);
    await store.setEnterToSend(false);
    expect(api.calls.at(-1)!.body).toEqual({
      preferences: { theme: 'system', locale: store.locale, answersOnly: true, enterToSend: false },
    });
    expect(localStorage.getItem(STORAGE_KEYS.answersOnly)).toBe('true');
    expect(freshStore().enterToSend).toBe(false);

    const other = freshStore();
    other.adoptServerPreferences({ answersOnly: false, enterToSend: true });
    expect(other.answersOnly).toBe(false);
    expect(other.enterToSend).toBe(true);
  });

  it('remembers the collapsed sidebar', async () => {
    fakeSystemTheme(false);
    const store = freshStore();
    expect(store.sidebarCollapsed).toBe(false);
    store.toggleSidebar();
    await nextTick();
    expect(localStorage.getItem(STORAGE_KEYS.sidebarCollapsed)).toBe('true');
    expect(freshStore().sidebarCollapsed).toBe(true);
  });
});
