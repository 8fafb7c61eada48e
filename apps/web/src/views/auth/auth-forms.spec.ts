import type { FormItemRule } from 'element-plus';
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h } from 'vue';
import { ApiError } from '@/api/http';
import { i18n } from '@/i18n';
import { loginErrorMessage, useLoginRules, useRegisterRules } from './auth-forms';

/** Runs a field's rules the way Element Plus does and returns the message, or '' when valid. */
function check(rules: FormItemRule | FormItemRule[] | undefined, value: unknown): string {
  let message = '';
  for (const rule of [rules ?? []].flat()) {
    rule.validator?.(
      rule,
      value,
      (error?: string | Error) => {
        if (error && !message) message = error instanceof Error ? error.message : error;
      },
      {},
      {},
    );
  }
  return message;
}

function withRules<T>(use: () => T): T {
  let result!: T;
  mount(defineComponent({ setup: () => ((result = use()), () => h('div')) }), { global: { plugins: [i18n] } });
  return result;
}

afterEach(() => {
  i18n.global.locale.value = 'en';
});

describe('form rules from the contract schemas', () => {
  it('register: email, nickname and password rules with translated messages', () => {
    const rules = withRules(useRegisterRules);
    const { email, nickname, password } = rules.value;

    expect(check(email, '')).toBe('This field is required');
    expect(check(email, 'not-an-email')).toBe('Enter a valid email address');
    expect(check(email, 'ada@example.com')).toBe('');
    expect(check(nickname, 'A')).toBe('Must be at least 2 characters');
    expect(check(nickname, 'x'.repeat(33))).toBe('Must be at most 32 characters');
    expect(check(nickname, '<b>Ada</b>')).toBe('Must not contain control or invisible characters, or angle brackets');
    expect(check(nickname, 'ali\u200bce')).toBe('Must not contain control or invisible characters, or angle brackets');
    expect(check(password, 'short1')).toBe('Must be at least 8 characters');
    expect(check(password, 'onlyletters')).toBe('Must contain a digit');
    expect(check(password, '12345678')).toBe('Must contain a letter');
    expect(check(password, 'letters-and-1')).toBe('');
  });

  it('messages follow the UI language', () => {
    const rules = withRules(useRegisterRules);
    i18n.global.locale.value = 'zh-CN';
    expect(check(rules.value.password, 'onlyletters')).toBe('需包含数字');
  });

  it('login only requires both fields (the server decides the rest)', () => {
    const rules = withRules(useLoginRules);
    expect(check(rules.value.email, '')).toBe('This field is required');
    expect(check(rules.value.email, 'whatever')).toBe('');
    expect(check(rules.value.password, 'x')).toBe('');
  });
});

describe('loginErrorMessage', () => {
  const apiError = (status: number, code: string, extra: Partial<ConstructorParameters<typeof ApiError>[0]> = {}) =>
    new ApiError({ status, code, message: 'server text', ...extra });

  it('explains each refusal', () => {
    expect(loginErrorMessage(apiError(401, 'INVALID_CREDENTIALS'))).toBe('Wrong email or password.');
    expect(loginErrorMessage(apiError(403, 'ACCOUNT_DISABLED'))).toBe(
      'This account has been disabled. Contact an administrator.',
    );
    expect(loginErrorMessage(apiError(429, 'TOO_MANY_ATTEMPTS', { retryAfter: 12 }))).toBe(
      'Too many sign-in attempts. Try again in 12 seconds.',
    );
    expect(loginErrorMessage(apiError(429, 'TOO_MANY_ATTEMPTS', { details: [{ retryAfterSeconds: 7 }] }))).toBe(
      'Too many sign-in attempts. Try again in 7 seconds.',
    );
    expect(loginErrorMessage(apiError(429, 'TOO_MANY_ATTEMPTS'))).toBe('Too many sign-in attempts. Try again later.');
  });

  it('falls back to the known code text, then the server message', () => {
    expect(loginErrorMessage(apiError(0, 'NETWORK_ERROR'))).toBe('Cannot reach the server. Check your connection.');
    expect(loginErrorMessage(apiError(418, 'SOMETHING_NEW'))).toBe('server text');
    expect(loginErrorMessage(new Error('boom'))).toBe('Something went wrong. Please try again.');
  });
});
