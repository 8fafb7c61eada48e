import { THEMES, type Preferences } from '@modelyard/contracts';
import { useMediaQuery } from '@vueuse/core';
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { authApi } from '@/api/auth';
import { i18n, isAppLocale, localeFromLanguageTag, type AppLocale } from '@/i18n';
import { useAuthStore } from './auth';

export type ThemeMode = (typeof THEMES)[number];
export type ResolvedTheme = 'light' | 'dark';

// index.html reads the same keys before the app boots to avoid a flash of the wrong theme; keep them in sync.
export const STORAGE_KEYS = {
  theme: 'modelyard:theme',
  locale: 'modelyard:locale',
  sidebarCollapsed: 'modelyard:sidebar-collapsed',
  answersOnly: 'modelyard:answers-only',
  enterToSend: 'modelyard:enter-to-send',
} as const;

const THEME_CYCLE: Record<ThemeMode, ThemeMode> = { system: 'light', light: 'dark', dark: 'system' };

export function isThemeMode(value: unknown): value is ThemeMode {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

export function resolveTheme(mode: ThemeMode, systemPrefersDark: boolean): ResolvedTheme {
  if (mode === 'system') return systemPrefersDark ? 'dark' : 'light';
  return mode;
}

export function nextThemeMode(mode: ThemeMode): ThemeMode {
  return THEME_CYCLE[mode];
}

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage blocked: behave as a first visit
  }
}

function writeStorage(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage blocked or full: the preference still applies for this tab
  }
}

function initialLocale(): AppLocale {
  const stored = readStorage(STORAGE_KEYS.locale);
  if (isAppLocale(stored)) return stored;
  return localeFromLanguageTag(typeof navigator === 'undefined' ? undefined : navigator.language);
}

/** A stored yes/no choice; undefined when the user never made it. */
function readChoice(key: string): boolean | undefined {
  const stored = readStorage(key);
  return stored === 'true' ? true : stored === 'false' ? false : undefined;
}

function initialTheme(): ThemeMode {
  const stored = readStorage(STORAGE_KEYS.theme);
  return isThemeMode(stored) ? stored : 'system';
}

/**
 * Theme, language, sidebar state and the chat's reading and typing choices (answers only, Enter sends). Local storage is the first source (applied before the first paint by
 * index.html); once signed in, the preferences saved on the user win, and every change is saved back to both.
 */
export const usePreferencesStore = defineStore('preferences', () => {
  const theme = ref<ThemeMode>(initialTheme());
  const locale = ref<AppLocale>(initialLocale());
  const sidebarCollapsed = ref(readStorage(STORAGE_KEYS.sidebarCollapsed) === 'true');
  // Undefined until chosen, so the saved preferences carry only what the user actually picked.
  const answersOnlyChoice = ref<boolean | undefined>(readChoice(STORAGE_KEYS.answersOnly));
  const enterToSendChoice = ref<boolean | undefined>(readChoice(STORAGE_KEYS.enterToSend));
  /** Hide the models' thinking: answers only. */
  const answersOnly = computed(() => answersOnlyChoice.value ?? false);
  /** Enter sends (Shift+Enter breaks the line); otherwise only Ctrl/Cmd+Enter sends. */
  const enterToSend = computed(() => enterToSendChoice.value ?? true);

  const systemPrefersDark = useMediaQuery('(prefers-color-scheme: dark)');
  const resolvedTheme = computed(() => resolveTheme(theme.value, systemPrefersDark.value));
  const isDark = computed(() => resolvedTheme.value === 'dark');

  watch(
    resolvedTheme,
    (value) => {
      const root = document.documentElement;
      root.classList.toggle('dark', value === 'dark');
      root.style.colorScheme = value;
    },
    { immediate: true },
  );

  watch(
    locale,
    (value) => {
      i18n.global.locale.value = value;
      document.documentElement.lang = value;
    },
    { immediate: true },
  );

  watch(theme, (value) => writeStorage(STORAGE_KEYS.theme, value));
  watch(locale, (value) => writeStorage(STORAGE_KEYS.locale, value));
  watch(sidebarCollapsed, (value) => writeStorage(STORAGE_KEYS.sidebarCollapsed, String(value)));
  watch(answersOnlyChoice, (value) => {
    if (value !== undefined) writeStorage(STORAGE_KEYS.answersOnly, String(value));
  });
  watch(enterToSendChoice, (value) => {
    if (value !== undefined) writeStorage(STORAGE_KEYS.enterToSend, String(value));
  });

  /** Saves the current choices on the signed-in user; a failure only costs cross-device sync. */
  async function saveToServer(): Promise<void> {
    const auth = useAuthStore();
    if (!auth.isAuthenticated) return;
    const preferences: Preferences = { theme: theme.value, locale: locale.value };
    if (answersOnlyChoice.value !== undefined) preferences.answersOnly = answersOnlyChoice.value;
    if (enterToSendChoice.value !== undefined) preferences.enterToSend = enterToSendChoice.value;
    try {
      const { user } = await authApi.updateMe({ preferences }, { silent: true });
      auth.setUser(user, { adoptPreferences: false });
    } catch {
      // keep the local choice; it is already stored in this browser
    }
  }

  function setTheme(value: ThemeMode): Promise<void> {
    theme.value = value;
    return saveToServer();
  }

  function cycleTheme(): Promise<void> {
    return setTheme(nextThemeMode(theme.value));
  }

  function setLocale(value: AppLocale): Promise<void> {
    locale.value = value;
    return saveToServer();
  }

  function setAnswersOnly(value: boolean): Promise<void> {
    answersOnlyChoice.value = value;
    return saveToServer();
  }

  function setEnterToSend(value: boolean): Promise<void> {
    enterToSendChoice.value = value;
    return saveToServer();
  }

  /** After sign-in or a reload: what the server remembers for this user wins over this browser. */
  function adoptServerPreferences(prefs: Preferences | null | undefined): void {
    if (prefs?.theme && isThemeMode(prefs.theme)) theme.value = prefs.theme;
    if (prefs?.locale && isAppLocale(prefs.locale)) locale.value = prefs.locale;
    if (typeof prefs?.answersOnly === 'boolean') answersOnlyChoice.value = prefs.answersOnly;
    if (typeof prefs?.enterToSend === 'boolean') enterToSendChoice.value = prefs.enterToSend;
  }

  function toggleSidebar(): void {
    sidebarCollapsed.value = !sidebarCollapsed.value;
  }

  return {
    theme,
    locale,
    sidebarCollapsed,
    systemPrefersDark,
    resolvedTheme,
    isDark,
    answersOnly,
    enterToSend,
    setTheme,
    cycleTheme,
    setLocale,
    setAnswersOnly,
    setEnterToSend,
    adoptServerPreferences,
    toggleSidebar,
  };
});
