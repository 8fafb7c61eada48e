import { defineErrors } from '../../common/errors/app-exception';

export enum ModelConfigsErrorCode {
  ModelConfigNotFound = 'MODEL_CONFIG_NOT_FOUND',
  NameTaken = 'MODEL_CONFIG_NAME_TAKEN',
  ReadOnly = 'MODEL_CONFIG_READ_ONLY',
  ShareForbidden = 'MODEL_CONFIG_SHARE_FORBIDDEN',
  ProviderDisabled = 'MODEL_CONFIG_PROVIDER_DISABLED',
}

export const modelConfigsError = defineErrors<ModelConfigsErrorCode>({
  [ModelConfigsErrorCode.ModelConfigNotFound]: 404,
  [ModelConfigsErrorCode.NameTaken]: 409,
  [ModelConfigsErrorCode.ReadOnly]: 403,
  [ModelConfigsErrorCode.ShareForbidden]: 403,
  [ModelConfigsErrorCode.ProviderDisabled]: 409,
});
