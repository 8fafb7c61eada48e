import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import App from '@/App.vue';
import { installSession } from '@/app/session';
import { i18n } from '@/i18n';
import { createAppRouter } from '@/router';
import { STORAGE_KEYS, usePreferencesStore } from '@/stores/preferences';
import { installFakeApi, type Route } from './fake-api';

/**
 * For whole-app tests: every test starts in English with empty storage, and leaves no page, locale or stubbed
 * global (fetch) behind.
 */
export function resetAppBetweenTests(): void {
  beforeEach(() => {
    localStorage.clear();
    localStorage.setItem(STORAGE_KEYS.locale, 'en');
  });
  afterEach(() => {
    document.body.innerHTML = '';
    i18n.global.locale.value = 'en';
    vi.unstubAllGlobals();
  });
}

/** The whole app, as main.ts assembles it, on an in-memory history and a fake API. */
export async function mountApp(path: string, routes: Record<string, Route>) {
  const api = installFakeApi(routes);
  const pinia = createPinia();
  setActivePinia(pinia);
  usePreferencesStore(pinia);
  const router = createAppRouter(createMemoryHistory());
  const notifyError = vi.fn();
  installSession(router, pinia, { notifyError });
  await router.push(path);
  await router.isReady();
  const wrapper = mount(App, {
    attachTo: document.body,
    global: { plugins: [pinia, i18n, router, ElementPlus] },
  });
  await settle();
  return { wrapper, router, api, pinia, notifyError };
}

/** Lets lazy routes, form validation and fetches run to the end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await flushPromises();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
