import { defineErrors } from '../../common/errors/app-exception';

export enum UsersErrorCode {
  UserNotFound = 'USER_NOT_FOUND',
  EmailTaken = 'EMAIL_TAKEN',
  NicknameTaken = 'NICKNAME_TAKEN',
  CannotModifySelf = 'CANNOT_MODIFY_SELF',
  LastAdmin = 'LAST_ADMIN',
  AvatarMissing = 'AVATAR_MISSING',
  AvatarInvalid = 'AVATAR_INVALID',
  AvatarTooLarge = 'AVATAR_TOO_LARGE',
  AvatarNotFound = 'AVATAR_NOT_FOUND',
}

export const usersError = defineErrors<UsersErrorCode>({
  [UsersErrorCode.UserNotFound]: 404,
  [UsersErrorCode.EmailTaken]: 409,
  [UsersErrorCode.NicknameTaken]: 409,
  [UsersErrorCode.CannotModifySelf]: 409,
  [UsersErrorCode.LastAdmin]: 409,
  [UsersErrorCode.AvatarMissing]: 400,
  [UsersErrorCode.AvatarInvalid]: 415,
  [UsersErrorCode.AvatarTooLarge]: 413,
  [UsersErrorCode.AvatarNotFound]: 404,
});
