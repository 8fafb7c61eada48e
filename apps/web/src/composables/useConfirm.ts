import { ElMessageBox } from 'element-plus';
import { useI18n } from 'vue-i18n';

/** A yes/no question in an Element Plus message box; resolves true only when the user confirms. */
export function useConfirm() {
  const { t } = useI18n();

  return async function confirm(
    message: string,
    opts: { title?: string; confirmText?: string; cancelText?: string; danger?: boolean } = {},
  ): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, opts.title ?? t('admin.users.confirm.title'), {
        confirmButtonText: opts.confirmText ?? t('common.confirm'),
        // Name the way out when "Cancel" would read as the action itself (cancelling a batch).
        cancelButtonText: opts.cancelText ?? t('common.cancel'),
        type: 'warning',
        confirmButtonClass: opts.danger ? 'el-button--danger' : undefined,
        autofocus: false,
        customClass: 'confirm-dialog',
      });
      return true;
    } catch {
      return false;
    }
  };
}
