import { LoginSchema, RegisterSchema, type LoginInput, type RegisterInput } from '@modelyard/contracts';
import type { FormRules } from 'element-plus';
import { computed } from 'vue';
import { isApiError } from '@/api/http';
import { translate } from '@/i18n';
import { describeError } from '@/i18n/describe-error';
import { useZodRules } from '@/composables/useZodRules';

export type LoginModel = LoginInput;
export type RegisterModel = RegisterInput;

export const emptyLogin = (): LoginModel => ({ email: '', password: '' });
export const emptyRegister = (): RegisterModel => ({ email: '', nickname: '', password: '' });

/** Rules from the same schemas the server validates with. */
export function useLoginRules() {
  const { zodRule } = useZodRules();
  return computed<FormRules<LoginModel>>(() => ({
    email: zodRule(LoginSchema.shape.email),
    password: zodRule(LoginSchema.shape.password),
  }));
}

export function useRegisterRules() {
  const { zodRule } = useZodRules();
  return computed<FormRules<RegisterModel>>(() => ({
    email: zodRule(RegisterSchema.shape.email),
    nickname: zodRule(RegisterSchema.shape.nickname),
    password: zodRule(RegisterSchema.shape.password),
  }));
}

function retryAfterSeconds(error: { retryAfter?: number; details?: unknown[] }): number | undefined {
  if (error.retryAfter !== undefined) return error.retryAfter;
  for (const detail of error.details ?? []) {
    const value = (detail as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof value === 'number') return value;
  }
  return undefined;
}

/** The sentence shown inside the login form for a failed sign-in. */
export function loginErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case 'INVALID_CREDENTIALS':
        return translate('auth.errors.invalidCredentials');
      case 'ACCOUNT_DISABLED':
        return translate('auth.errors.accountDisabled');
      case 'TOO_MANY_ATTEMPTS':
      case 'TOO_MANY_REQUESTS': {
        const seconds = retryAfterSeconds(error);
        if (!seconds) return translate('auth.errors.tooManyAttemptsLater');
        // "897 seconds" is a number to work out: past a minute, minutes (rounded up).
        return seconds < 90
          ? translate('auth.errors.tooManyAttempts', { seconds })
          : translate('auth.errors.tooManyAttemptsMinutes', { minutes: Math.ceil(seconds / 60) });
      }
    }
    if (error.status === 429) return translate('auth.errors.tooManyAttemptsLater');
  }
  return describeError(error);
}
