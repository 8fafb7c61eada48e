import type { Router } from 'vue-router';

const LAST_RELOAD_KEY = 'modelyard:chunk-reload-at';
/** One reload per this long at most: a page that still cannot load after a fresh start is reported, not retried. */
const RELOAD_COOLDOWN_MS = 15_000;

/**
 * A page's code that could not be loaded: the app was upgraded under this tab (the old hashed files are gone), or
 * the network is down. The messages are the browsers' own for a failed dynamic import.
 */
export function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Failed to fetch dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS|Loading chunk .* failed/i.test(
    message,
  );
}

export interface ChunkRecoveryOptions {
  /** Loads the app afresh at this path (a full page load picks up the new build). */
  reload?: (path: string) => void;
  /** Says the page could not be loaded (after a reload did not help, or offline). */
  notify: () => void;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * Without this, clicking a link whose page fails to load did nothing at all: no navigation, no message. The first
 * failure reloads the app at the link's address; a second one soon after is reported to the user instead.
 */
export function installChunkRecovery(router: Router, options: ChunkRecoveryOptions): void {
  const reload = options.reload ?? ((path: string) => window.location.assign(path));
  const storage = options.storage ?? window.sessionStorage;
  router.onError((error, to) => {
    if (!isChunkLoadError(error)) return;
    const last = Number(storage.getItem(LAST_RELOAD_KEY) ?? 0);
    if (Date.now() - last > RELOAD_COOLDOWN_MS && navigator.onLine !== false) {
      storage.setItem(LAST_RELOAD_KEY, String(Date.now()));
      reload(router.resolve(to).href);
      return;
    }
    options.notify();
  });
}
