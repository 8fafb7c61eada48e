import { defineErrors } from '../../common/errors/app-exception';

export enum ArenaErrorCode {
  BattleNotFound = 'ARENA_BATTLE_NOT_FOUND',
  NotEnoughModels = 'ARENA_NOT_ENOUGH_MODELS',
  ModelNotShared = 'ARENA_MODEL_NOT_SHARED',
  AlreadyVoted = 'ARENA_ALREADY_VOTED',
  BattleRunning = 'ARENA_BATTLE_RUNNING',
  UserNotFound = 'ARENA_USER_NOT_FOUND',
}

export const arenaError = defineErrors<ArenaErrorCode>({
  [ArenaErrorCode.BattleNotFound]: 404,
  [ArenaErrorCode.NotEnoughModels]: 409,
  [ArenaErrorCode.ModelNotShared]: 400,
  [ArenaErrorCode.AlreadyVoted]: 409,
  [ArenaErrorCode.BattleRunning]: 409,
  [ArenaErrorCode.UserNotFound]: 404,
});
