import { defineErrors } from '../../common/errors/app-exception';

export enum TeamsErrorCode {
  TeamNotFound = 'TEAM_NOT_FOUND',
  NameTaken = 'TEAM_NAME_TAKEN',
  Forbidden = 'TEAM_FORBIDDEN',
  MemberExists = 'TEAM_MEMBER_EXISTS',
  MemberNotFound = 'TEAM_MEMBER_NOT_FOUND',
  UserNotFound = 'TEAM_USER_NOT_FOUND',
  LastOwner = 'TEAM_LAST_OWNER',
}

export const teamsError = defineErrors<TeamsErrorCode>({
  [TeamsErrorCode.TeamNotFound]: 404,
  [TeamsErrorCode.NameTaken]: 409,
  [TeamsErrorCode.Forbidden]: 403,
  [TeamsErrorCode.MemberExists]: 409,
  [TeamsErrorCode.MemberNotFound]: 404,
  [TeamsErrorCode.UserNotFound]: 404,
  [TeamsErrorCode.LastOwner]: 409,
});
