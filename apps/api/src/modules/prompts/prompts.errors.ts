import { defineErrors } from '../../common/errors/app-exception';

export enum PromptsErrorCode {
  PromptNotFound = 'PROMPT_NOT_FOUND',
  NameTaken = 'PROMPT_NAME_TAKEN',
  ReadOnly = 'PROMPT_READ_ONLY',
  ShareForbidden = 'PROMPT_SHARE_FORBIDDEN',
  TeamRequired = 'PROMPT_TEAM_REQUIRED',
  VersionNotFound = 'PROMPT_VERSION_NOT_FOUND',
  LabelNotFound = 'PROMPT_LABEL_NOT_FOUND',
  VariablesMissing = 'PROMPT_VARIABLES_MISSING',
  RenderedTooLong = 'PROMPT_RENDERED_TOO_LONG',
}

export const promptsError = defineErrors<PromptsErrorCode>({
  [PromptsErrorCode.PromptNotFound]: 404,
  [PromptsErrorCode.NameTaken]: 409,
  [PromptsErrorCode.ReadOnly]: 403,
  [PromptsErrorCode.ShareForbidden]: 403,
  [PromptsErrorCode.TeamRequired]: 400,
  [PromptsErrorCode.VersionNotFound]: 404,
  [PromptsErrorCode.LabelNotFound]: 404,
  [PromptsErrorCode.VariablesMissing]: 400,
  [PromptsErrorCode.RenderedTooLong]: 400,
});
