import { ElMessage } from 'element-plus';
import { useI18n } from 'vue-i18n';

/** Copies text to the clipboard and says so; falls back to a hidden textarea where the Clipboard API is missing. */
export function useCopyText() {
  const { t } = useI18n();

  function fallbackCopy(text: string): boolean {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand('copy');
    } finally {
      area.remove();
    }
  }

  return async function copyText(text: string): Promise<boolean> {
    let ok: boolean;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      ok = fallbackCopy(text);
    }
    if (ok) ElMessage.success({ message: t('chat.message.copied'), grouping: true, duration: 1500 });
    else ElMessage.error({ message: t('chat.message.copyFailed'), grouping: true });
    return ok;
  };
}
