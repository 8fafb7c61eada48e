import { reactive } from 'vue';
import { isApiError } from '@/api/http';
import { translate } from '@/i18n';
import { describeError } from '@/i18n/describe-error';
import { contractMessage } from '@/i18n/zod-message';

/**
 * Server-side field errors for a form: pass them to each ElFormItem's `error` prop. Reads the envelope's
 * `details: [{ path, message }]`; a known error code for the whole request can be pinned to a field too.
 */
export function useServerFieldErrors<Field extends string>(fields: readonly Field[]) {
  const errors = reactive<Record<string, string>>(Object.fromEntries(fields.map((f) => [f, ''])));

  function clear(field?: Field): void {
    for (const key of field ? [field] : fields) errors[key] = '';
  }

  /** Puts what it can on fields; returns true when at least one field got a message. */
  function apply(error: unknown, codeToField: Partial<Record<string, Field>> = {}): boolean {
    clear();
    if (!isApiError(error)) return false;
    const pinned = codeToField[error.code];
    if (pinned) {
      errors[pinned] = describeError(error);
      return true;
    }
    let matched = false;
    for (const detail of error.details ?? []) {
      if (typeof detail !== 'object' || detail === null) continue;
      const { path, message } = detail as { path?: unknown; message?: unknown };
      const field = Array.isArray(path) ? String(path[0]) : typeof path === 'string' ? path.split('.')[0] : undefined;
      if (field && (fields as readonly string[]).includes(field) && typeof message === 'string') {
        errors[field] = contractMessage(message, translate);
        matched = true;
      }
    }
    return matched;
  }

  return { errors: errors as Record<Field, string>, clear, apply };
}
