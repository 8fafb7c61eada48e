import type { LoginInput, RegisterInput, UpdateMeInput, User } from '@modelyard/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { authApi } from '@/api/auth';
import { http } from '@/api/http';
import { usePreferencesStore } from './preferences';

/**
 * Who is signed in. The access token lives only here, in memory: a reload loses it and `init()` trades the
 * httpOnly refresh cookie for a new one. Nothing about the session is written to localStorage.
 */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null);
  const accessToken = ref<string | null>(null);
  let restoring: Promise<void> | null = null;

  const isAuthenticated = computed(() => user.value !== null && accessToken.value !== null);
  const isAdmin = computed(() => user.value?.role === 'admin');

  function setAccessToken(token: string | null): void {
    accessToken.value = token;
  }

  function setUser(next: User, opts: { adoptPreferences?: boolean } = {}): void {
    user.value = next;
    if (opts.adoptPreferences ?? true) usePreferencesStore().adoptServerPreferences(next.preferences);
  }

  function clear(): void {
    user.value = null;
    accessToken.value = null;
  }

  async function restore(): Promise<void> {
    if (!(await http.refreshSession())) return;
    try {
      const { user: me } = await authApi.getMe({ silent: true, skipAuthRefresh: true });
      setUser(me);
    } catch {
      clear();
    }
  }

  /** Restores the session after a reload, once per page load; the router waits for it before the first route. */
  function init(): Promise<void> {
    restoring ??= restore();
    return restoring;
  }

  async function login(input: LoginInput): Promise<User> {
    const response = await authApi.login(input);
    accessToken.value = response.accessToken;
    setUser(response.user);
    return response.user;
  }

  function register(input: RegisterInput): Promise<{ user: User }> {
    return authApi.register(input);
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout();
    } catch {
      // the server-side session may already be gone; signing out locally is what matters
    } finally {
      clear();
    }
  }

  /** Re-reads the signed-in user (role or status may have changed); a dead session ends via the HTTP client. */
  async function reload(): Promise<void> {
    if (!isAuthenticated.value) return;
    const { user: me } = await authApi.getMe({ silent: true });
    setUser(me, { adoptPreferences: false });
  }

  async function updateProfile(input: UpdateMeInput): Promise<User> {
    const { user: me } = await authApi.updateMe(input, { silent: true });
    setUser(me, { adoptPreferences: false });
    return me;
  }

  async function uploadAvatar(file: File): Promise<User> {
    const { user: me } = await authApi.uploadAvatar(file);
    setUser(me, { adoptPreferences: false });
    return me;
  }

  return {
    user,
    accessToken,
    isAuthenticated,
    isAdmin,
    setAccessToken,
    setUser,
    clear,
    init,
    login,
    register,
    logout,
    reload,
    updateProfile,
    uploadAvatar,
  };
});
