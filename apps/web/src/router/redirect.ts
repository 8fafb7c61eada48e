import type { LocationQueryValue } from 'vue-router';

export const HOME_PATH = '/chat';

/**
 * The `?redirect=` target after sign-in, accepted only when it is a path inside this app: an absolute or
 * protocol-relative URL would turn the login page into an open redirect.
 */
export function safeRedirect(value: LocationQueryValue | LocationQueryValue[] | undefined): string | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  if (/^\/(login|register)(?:[/?#]|$)/.test(raw)) return null;
  return raw;
}
