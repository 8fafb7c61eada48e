import { ElMessage } from 'element-plus';
import type { RouteLocationNormalized, RouteLocationRaw, Router } from 'vue-router';
import { translate } from '@/i18n';
import { useAuthStore } from '@/stores/auth';
import { HOME_PATH, safeRedirect } from './redirect';

export async function authGuard(to: RouteLocationNormalized): Promise<true | RouteLocationRaw> {
  const auth = useAuthStore();
  // The first navigation waits for the session to be restored from the refresh cookie.
  await auth.init();

  if (to.meta.guestOnly && auth.isAuthenticated) {
    return safeRedirect(to.query.redirect) ?? HOME_PATH;
  }
  if ((to.meta.requiresAuth || to.meta.requiresAdmin) && !auth.isAuthenticated) {
    return { name: 'login', query: { redirect: to.fullPath } };
  }
  if (to.meta.requiresAdmin && !auth.isAdmin) {
    ElMessage.warning({ message: translate('errors.adminOnly'), grouping: true });
    return HOME_PATH;
  }
  return true;
}

export function installGuards(router: Router): void {
  router.beforeEach(authGuard);
}
