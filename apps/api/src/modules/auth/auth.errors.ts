import { defineErrors } from '../../common/errors/app-exception';

export enum AuthErrorCode {
  InvalidCredentials = 'INVALID_CREDENTIALS',
  AccountDisabled = 'ACCOUNT_DISABLED',
  TooManyAttempts = 'TOO_MANY_ATTEMPTS',
  RegistrationClosed = 'REGISTRATION_CLOSED',
  InvalidRefreshToken = 'INVALID_REFRESH_TOKEN',
  WrongCurrentPassword = 'WRONG_CURRENT_PASSWORD',
}

export const authError = defineErrors<AuthErrorCode>({
  [AuthErrorCode.InvalidCredentials]: 401,
  [AuthErrorCode.AccountDisabled]: 403,
  [AuthErrorCode.TooManyAttempts]: 429,
  [AuthErrorCode.RegistrationClosed]: 403,
  [AuthErrorCode.InvalidRefreshToken]: 401,
  [AuthErrorCode.WrongCurrentPassword]: 400,
});

export const tooManyAttempts = (retryAfterMs: number, message: string) => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return authError(AuthErrorCode.TooManyAttempts, message, [{ retryAfterSeconds: seconds }], {
    'Retry-After': String(seconds),
  });
};
