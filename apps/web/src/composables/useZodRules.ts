import type { FormItemRule } from 'element-plus';
import { useI18n } from 'vue-i18n';
import type { z } from 'zod';
import { zodIssueMessage } from '@/i18n/zod-message';

type Trigger = 'blur' | 'change';

/**
 * Element Plus form rules backed by the shared contract schemas, so the browser checks exactly what the server
 * will check. Build the rules inside a `computed` so their messages follow the UI language.
 */
export function useZodRules() {
  const { t } = useI18n();

  function zodRule(
    schema: z.ZodType,
    opts: { required?: boolean; trigger?: Trigger | Trigger[] } = {},
  ): FormItemRule[] {
    const required = opts.required ?? true;
    return [
      {
        required,
        trigger: opts.trigger ?? 'blur',
        validator: (_rule, value: unknown, callback: (error?: Error) => void) => {
          if (value === undefined || value === null || value === '') {
            callback(required ? new Error(t('validation.required')) : undefined);
            return;
          }
          const result = schema.safeParse(value);
          callback(result.success ? undefined : new Error(zodIssueMessage(result.error.issues[0]!, t)));
        },
      },
    ];
  }

  /** "Repeat password": must equal another field's current value. */
  function sameAs(other: () => string, opts: { trigger?: Trigger | Trigger[] } = {}): FormItemRule[] {
    return [
      {
        required: true,
        trigger: opts.trigger ?? 'blur',
        validator: (_rule, value: unknown, callback: (error?: Error) => void) => {
          if (!value) callback(new Error(t('validation.required')));
          else if (value !== other()) callback(new Error(t('validation.passwordMismatch')));
          else callback();
        },
      },
    ];
  }

  return { zodRule, sameAs };
}
