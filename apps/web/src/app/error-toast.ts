import { ElMessage } from 'element-plus';
import type { ApiError } from '@/api/http';
import { translate } from '@/i18n';
import { describeError } from '@/i18n/describe-error';

/** The one place a failed API call becomes a toast (callers that show errors inline pass `silent`). */
export function showErrorToast(error: ApiError): void {
  const text = describeError(error);
  // A request id lets an admin find the server log line for an unexpected failure.
  const message =
    error.status >= 500 && error.requestId ? `${text} ${translate('errors.requestId', { id: error.requestId })}` : text;
  ElMessage({ type: 'error', message, grouping: true, showClose: true });
}
