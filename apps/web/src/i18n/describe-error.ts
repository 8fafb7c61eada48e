import { CLIENT_ERROR_CODES, isApiError } from '@/api/http';
import { hasTranslation, translate } from './index';

/** The message to show a user for a failed call: our own wording for known codes, else the server's message. */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return translate('errors.generic');
  if (error.code === CLIENT_ERROR_CODES.network) return translate('errors.network');
  const key = `errors.codes.${error.code}`;
  if (hasTranslation(key)) return translate(key);
  return error.message || translate('errors.generic');
}
