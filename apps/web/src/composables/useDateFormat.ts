import { computed } from 'vue';
import { useI18n } from 'vue-i18n';

/** Locale-aware date formatting that follows the UI language. */
export function useDateFormat() {
  const { locale, t } = useI18n();

  const dateTime = computed(() => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }));
  const date = computed(() => new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium' }));

  function parse(value: string | null | undefined): Date | null {
    if (!value) return null;
    const parsed = new Date(value);
    return Number.isNaN(parsed.getTime()) ? null : parsed;
  }

  return {
    formatDateTime: (value: string | null | undefined, empty = t('common.never')) => {
      const parsed = parse(value);
      return parsed ? dateTime.value.format(parsed) : empty;
    },
    formatDate: (value: string | null | undefined, empty = t('common.none')) => {
      const parsed = parse(value);
      return parsed ? date.value.format(parsed) : empty;
    },
  };
}
