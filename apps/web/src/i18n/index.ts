import { LOCALES } from '@modelyard/contracts';
import { createI18n } from 'vue-i18n';
import en from './locales/en';
import zhCN from './locales/zh-CN';

export type AppLocale = (typeof LOCALES)[number];
export type MessageSchema = typeof en;

export const SUPPORTED_LOCALES: readonly AppLocale[] = LOCALES;
export const DEFAULT_LOCALE: AppLocale = 'en';

export const messages: Record<AppLocale, MessageSchema> = { en, 'zh-CN': zhCN };

/** The i18n key of each locale's own name, for the language switch. */
export const LOCALE_NAME_KEYS: Record<AppLocale, string> = { 'zh-CN': 'localeNames.zhCN', en: 'localeNames.en' };

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** zh, zh-CN, zh-Hans… → zh-CN; anything else → en. */
export function localeFromLanguageTag(tag: string | undefined | null): AppLocale {
  return tag && /^zh\b/i.test(tag) ? 'zh-CN' : DEFAULT_LOCALE;
}

export const i18n = createI18n({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages,
});

/** For code outside components (router guards, the HTTP toast). Components use `useI18n()`. */
export const translate = (key: string, named?: Record<string, unknown>): string =>
  named ? i18n.global.t(key, named) : i18n.global.t(key);

export const hasTranslation = (key: string): boolean => i18n.global.te(key, DEFAULT_LOCALE);
