import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { installChunkRecovery, isChunkLoadError } from './chunk-recovery';

function setup() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      {
        path: '/compare',
        component: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module: /assets/x.js')),
      },
      { path: '/broken', component: () => Promise.reject(new Error('something else')) },
    ],
  });
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) };
  const reload = vi.fn();
  const notify = vi.fn();
  installChunkRecovery(router, { reload, notify, storage });
  return { router, reload, notify };
}

describe('installChunkRecovery', () => {
  it('recognises the browsers’ failed dynamic import messages only', () => {
    expect(isChunkLoadError(new TypeError('Failed to fetch dynamically imported module: /a.js'))).toBe(true);
    expect(isChunkLoadError(new TypeError('Importing a module script failed.'))).toBe(true);
    expect(isChunkLoadError(new Error('error loading dynamically imported module'))).toBe(true);
    expect(isChunkLoadError(new Error('Request failed with status 500'))).toBe(false);
  });

  it('reloads the app at the link’s address once, then tells the user', async () => {
    const { router, reload, notify } = setup();
    await router.push('/');
    await router.push('/compare?x=1').catch(() => undefined);
    expect(reload).toHaveBeenCalledWith('/compare?x=1');
    expect(notify).not.toHaveBeenCalled();
    await router.push('/compare').catch(() => undefined);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(notify).toHaveBeenCalledTimes(1);
  });

  it('leaves other navigation errors alone', async () => {
    const { router, reload, notify } = setup();
    await router.push('/broken').catch(() => undefined);
    expect(reload).not.toHaveBeenCalled();
    expect(notify).not.toHaveBeenCalled();
  });
});
