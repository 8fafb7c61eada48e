import { defineErrors } from '../../common/errors/app-exception';

export enum ProvidersErrorCode {
  ProviderNotFound = 'PROVIDER_NOT_FOUND',
  ProviderNameTaken = 'PROVIDER_NAME_TAKEN',
  BaseUrlForbidden = 'PROVIDER_BASE_URL_FORBIDDEN',
  InvalidAuthSettings = 'PROVIDER_INVALID_AUTH',
  ProviderDisabled = 'PROVIDER_DISABLED',
  UpstreamFailed = 'PROVIDER_REQUEST_FAILED',
  SecretUnreadable = 'PROVIDER_SECRET_UNREADABLE',
}

export const providersError = defineErrors<ProvidersErrorCode>({
  [ProvidersErrorCode.ProviderNotFound]: 404,
  [ProvidersErrorCode.ProviderNameTaken]: 409,
  [ProvidersErrorCode.BaseUrlForbidden]: 400,
  [ProvidersErrorCode.InvalidAuthSettings]: 400,
  [ProvidersErrorCode.ProviderDisabled]: 409,
  [ProvidersErrorCode.UpstreamFailed]: 502,
  [ProvidersErrorCode.SecretUnreadable]: 500,
});
