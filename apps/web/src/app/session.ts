import { ElMessage } from 'element-plus';
import type { Pinia } from 'pinia';
import { watch } from 'vue';
import { START_LOCATION, type Router } from 'vue-router';
import { http } from '@/api/http';
import { translate } from '@/i18n';
import { HOME_PATH } from '@/router/redirect';
import { useAuthStore } from '@/stores/auth';
import { usePreferencesStore } from '@/stores/preferences';
import { showErrorToast } from './error-toast';

export interface SessionOptions {
  /** Show the error toasts (tests replace it). */
  notifyError?: typeof showErrorToast;
}

/**
 * Connects the HTTP client to the auth store and the router:
 *  - the access token comes from, and refreshed tokens go to, the auth store;
 *  - a session that cannot be refreshed (revoked, user disabled, password changed elsewhere) clears the store and
 *    sends the tab to /login?redirect=<where it was>;
 *  - the signed-in user is re-read on every in-app navigation and when the tab becomes visible again, so a
 *    disabled account or a changed role shows up at the user's next action even on pages that make no API call.
 */
export function installSession(router: Router, pinia: Pinia, options: SessionOptions = {}): void {
  const auth = useAuthStore(pinia);
  const preferences = usePreferencesStore(pinia);
  let redirecting = false;

  async function endSession(): Promise<void> {
    const wasSignedIn = auth.isAuthenticated;
    auth.clear();
    const current = router.currentRoute.value;
    // During the very first navigation the route guard decides where to go; public pages may stay.
    if (redirecting || current === START_LOCATION || !current.meta.requiresAuth) return;
    redirecting = true;
    try {
      if (wasSignedIn) ElMessage.warning({ message: translate('auth.sessionExpired'), grouping: true });
      await router.replace({ name: 'login', query: { redirect: current.fullPath } });
    } finally {
      redirecting = false;
    }
  }

  http.configure({
    getAccessToken: () => auth.accessToken,
    setAccessToken: (token) => auth.setAccessToken(token),
    getLocale: () => preferences.locale,
    notifyError: options.notifyError ?? showErrorToast,
    onSessionExpired: () => void endSession(),
  });

  const revalidate = () => {
    if (auth.isAuthenticated) auth.reload().catch(() => undefined);
  };

  router.afterEach((to, from, failure) => {
    // Skipped for the first route and right after signing in: the user was fetched a moment ago.
    if (failure || from === START_LOCATION || from.meta.guestOnly || !to.meta.requiresAuth) return;
    revalidate();
  });

  if (typeof document !== 'undefined') {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') revalidate();
    });
  }

  // Lost admin rights while on an admin page (noticed by a revalidation): leave it.
  watch(
    () => auth.isAdmin,
    (isAdmin) => {
      const current = router.currentRoute.value;
      if (!isAdmin && auth.isAuthenticated && current.meta.requiresAdmin) void router.replace(HOME_PATH);
    },
  );
}
