import type { ArenaWinner, Battle, Leaderboard, LeaderboardQuery, VoteResult } from '@modelyard/contracts';
import { type ColumnStreamOptions, followColumns } from './compare';
import { http, type RequestOptions } from './http';

type CallOptions = Pick<RequestOptions, 'silent' | 'signal'>;

export interface ArenaModel {
  modelConfigId: string;
  name: string;
  model: string;
}

export interface ExcludedVoter {
  userId: string;
  email: string;
  nickname: string;
  createdAt: string;
}

/** The first event of a battle stream: nothing but the battle's id (the models stay anonymous until the vote). */
export interface BattleMetaEvent {
  battleId: string;
}

/** Every battle has two sides: 0 is "Model A", 1 is "Model B". */
export const BATTLE_SIDES = 2;

const id = (value: string) => encodeURIComponent(value);

export const arenaStreams = {
  /** Starts a battle (a 409 ARENA_NOT_ENOUGH_MODELS or a 429 before the stream starts rejects with its ApiError). */
  start: (prompt: string, options: ColumnStreamOptions<BattleMetaEvent>) =>
    followColumns(
      (signal) =>
        http.open('/arena/battles', {
          signal,
          silent: true,
          method: 'POST',
          body: { prompt },
          headers: { Accept: 'text/event-stream' },
        }),
      () => BATTLE_SIDES,
      options,
    ),
};

export const arenaApi = {
  models: (opts?: CallOptions) => http.get<{ items: ArenaModel[] }>('/arena/models', opts),
  setModels: (modelConfigIds: string[], opts?: CallOptions) =>
    http.put<{ items: ArenaModel[] }>('/arena/models', { modelConfigIds }, opts),
  battle: (battleId: string, opts?: CallOptions) => http.get<Battle>(`/arena/battles/${id(battleId)}`, opts),
  stop: (battleId: string, opts?: CallOptions) =>
    http.post<{ stopping: boolean }>(`/arena/battles/${id(battleId)}/stop`, undefined, opts),
  vote: (battleId: string, winner: ArenaWinner, opts?: CallOptions) =>
    http.post<VoteResult>(`/arena/battles/${id(battleId)}/vote`, { winner }, opts),
  leaderboard: (query: LeaderboardQuery = {}, opts?: CallOptions) =>
    http.get<Leaderboard>('/arena/leaderboard', { ...opts, query: { ...query } }),
  excludedUsers: (opts?: CallOptions) => http.get<{ items: ExcludedVoter[] }>('/arena/excluded-users', opts),
  exclude: (userId: string, opts?: CallOptions) =>
    http.put<void>(`/arena/excluded-users/${id(userId)}`, undefined, opts),
  include: (userId: string, opts?: CallOptions) => http.delete<void>(`/arena/excluded-users/${id(userId)}`, opts),
};
