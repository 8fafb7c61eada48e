import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type ArenaWinner,
  type Battle,
  type Leaderboard,
  type LeaderboardQuery,
  type VoteResult,
} from '@modelyard/contracts';
import type { AuthUser, RequestMeta } from '../../common/auth/auth.decorators';
import { AuditService } from '../audit/audit.service';
import { ChatRepository } from '../chat/chat.repository';
import { ChatService } from '../chat/chat.service';
import type { ColumnStart } from '../chat/column-stream';
import { ModelConfigsRepository } from '../model-configs/model-configs.repository';
import { ModelConfigsService, type UsableModelConfig } from '../model-configs/model-configs.service';
import { UsersRepository } from '../users/users.repository';
import { bootstrapIntervals, bradleyTerry, eloRatings, pairwiseWinRates, tallies, type Vote } from './arena-ratings';
import { ArenaErrorCode, arenaError } from './arena.errors';
import { ArenaRepository, type BattleRow } from './arena.repository';

export const SIDE_LABELS = ['Model A', 'Model B'] as const;

export interface StartedBattle {
  battleId: string;
  starts: ColumnStart[];
}

/** Blind battles between two enrolled shared model configs, votes, and the leaderboard they make. */
@Injectable()
export class ArenaService {
  constructor(
    private readonly arena: ArenaRepository,
    private readonly chat: ChatService,
    private readonly chatRows: ChatRepository,
    private readonly modelConfigs: ModelConfigsService,
    private readonly modelConfigRows: ModelConfigsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  /** The enrolled configs that are still shared: one made private since is nobody else's to see. */
  async models() {
    const ids = await this.arena.enrolledIds();
    const rows = await this.modelConfigRows.findByIds(ids);
    const byId = new Map(rows.filter((r) => r.visibility === 'shared').map((r) => [r.id, r]));
    return {
      items: ids
        .map((id) => byId.get(id))
        .filter((r) => r !== undefined)
        .map((r) => ({ modelConfigId: r.id, name: r.name, model: r.model })),
    };
  }

  /** Enrols exactly these shared configs (admins). A private config cannot be enrolled: others could not use it. */
  async setModels(admin: AuthUser, ids: string[], meta?: RequestMeta) {
    const unique = [...new Set(ids)];
    const rows = await this.modelConfigRows.findByIds(unique);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const problems = unique.flatMap((id, i) => {
      const row = byId.get(id);
      if (!row) return [{ path: ['modelConfigIds', i], message: 'no such model config' }];
      if (row.visibility !== 'shared') return [{ path: ['modelConfigIds', i], message: 'is not shared with everyone' }];
      return [];
    });
    if (problems.length > 0) {
      throw arenaError(
        ArenaErrorCode.ModelNotShared,
        'Only shared model configs can be enrolled in the arena',
        problems,
      );
    }
    await this.arena.setEnrolled(unique);
    await this.audit.record({
      actorId: admin.id,
      action: 'arena.models',
      targetType: 'arena',
      targetId: null,
      after: { modelConfigIds: unique },
      meta,
    });
    return this.models();
  }

  async startBattle(user: AuthUser, prompt: string): Promise<StartedBattle> {
    const usable = await this.usableEnrolled(user);
    if (usable.length < 2) {
      throw arenaError(
        ArenaErrorCode.NotEnoughModels,
        'The arena needs at least two enrolled models that are available; ask an administrator to enrol more',
      );
    }
    // Two different configs, uniformly at random, in random order.
    const first = randomInt(usable.length);
    let second = randomInt(usable.length - 1);
    if (second >= first) second++;
    const sides = [usable[first]!, usable[second]!];
    const title = prompt.replace(/\s+/g, ' ').slice(0, 200);
    const sessions = [];
    for (const side of sides) {
      sessions.push(
        await this.chat.createColumnSession(user, {
          kind: 'arena',
          title,
          modelConfigId: side.config.id,
          systemPrompt: null,
          history: [],
        }),
      );
    }
    const battleId = await this.arena.createBattle({
      userId: user.id,
      prompt,
      modelAId: sides[0]!.config.id,
      modelBId: sides[1]!.config.id,
      nameA: sides[0]!.config.name,
      nameB: sides[1]!.config.name,
      sessionAId: sessions[0]!.id,
      sessionBId: sessions[1]!.id,
    });
    const starts = await this.chat.startColumns(
      user,
      sessions.map((session, column) => ({ column, sessionId: session.id })),
      prompt,
    );
    // Why a side could not start may name its model or provider: say it neutrally.
    return {
      battleId,
      starts: starts.map((s) =>
        'error' in s
          ? { column: s.column, error: { code: s.error.code, message: `${SIDE_LABELS[s.column]} could not answer` } }
          : s,
      ),
    };
  }

  async battle(user: AuthUser, id: string): Promise<Battle> {
    const battle = await this.owned(user, id);
    const sides = await Promise.all(
      [battle.sessionAId, battle.sessionBId].map(async (sessionId, column) => {
        const answer = sessionId
          ? (await this.chatRows.listMessages(sessionId)).filter((m) => m.role === 'assistant').at(-1)
          : undefined;
        return {
          label: SIDE_LABELS[column]!,
          content: answer?.content ?? '',
          // Before the vote a thinking would tell a reasoning model apart.
          reasoning: battle.winner ? (answer?.reasoning ?? null) : null,
          status: answer?.status ?? 'error',
          generationId: battle.winner ? (answer?.generationId ?? null) : null,
        };
      }),
    );
    return {
      id: battle.id,
      prompt: battle.prompt,
      sides,
      winner: battle.winner,
      revealed: battle.winner ? reveal(battle) : null,
      createdAt: battle.createdAt.toISOString(),
    };
  }

  /** Stops both answers if still generating; false when neither was. */
  async stop(user: AuthUser, id: string): Promise<boolean> {
    const battle = await this.owned(user, id);
    let stopped = 0;
    for (const sessionId of [battle.sessionAId, battle.sessionBId]) {
      if (sessionId) stopped += await this.chat.stopSessionGenerations(sessionId);
    }
    return stopped > 0;
  }

  /** One vote per battle, once both answers have ended; the vote reveals who was who. */
  async vote(user: AuthUser, id: string, winner: ArenaWinner): Promise<VoteResult> {
    const battle = await this.owned(user, id);
    if (battle.winner) throw arenaError(ArenaErrorCode.AlreadyVoted, 'You have already voted in this battle');
    for (const sessionId of [battle.sessionAId, battle.sessionBId]) {
      if (!sessionId) continue;
      if ((await this.chatRows.listMessages(sessionId)).some((m) => m.status === 'streaming')) {
        throw arenaError(ArenaErrorCode.BattleRunning, 'Wait for both answers to finish (or stop them) before voting');
      }
    }
    if (!(await this.arena.vote(battle.id, winner))) {
      throw arenaError(ArenaErrorCode.AlreadyVoted, 'You have already voted in this battle');
    }
    return { ...reveal(battle), winner };
  }

  /** Ratings among the configs that are shared now: battles of one made private since leave the table with it. */
  async leaderboard(query: LeaderboardQuery): Promise<Leaderboard> {
    const allVotes = await this.arena.votes(query);
    const voted = [...new Set(allVotes.flatMap((r) => [r.modelAId, r.modelBId]))];
    const shared = new Set(
      (await this.modelConfigRows.findByIds(voted)).filter((r) => r.visibility === 'shared').map((r) => r.id),
    );
    const rows = allVotes.filter((r) => shared.has(r.modelAId) && shared.has(r.modelBId));
    const names = new Map<string, string>();
    for (const row of rows) {
      names.set(row.modelAId, row.nameA);
      names.set(row.modelBId, row.nameB);
    }
    // Enrolled models with no votes yet still appear, at the starting rating.
    for (const item of (await this.models()).items) names.set(item.modelConfigId, item.name);
    const models = [...names.keys()];
    const votes: Vote[] = rows.map((r) => ({ a: r.modelAId, b: r.modelBId, winner: r.winner }));
    const elo = eloRatings(votes, models);
    const bt = bradleyTerry(votes, models);
    const ci = bootstrapIntervals(votes, models);
    const tally = tallies(votes, models);
    const order = [...models].sort((x, y) => elo.get(y)! - elo.get(x)! || names.get(x)!.localeCompare(names.get(y)!));
    const matrix = pairwiseWinRates(votes, order);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      items: order.map((id) => {
        const t = tally.get(id)!;
        return {
          modelConfigId: id,
          name: names.get(id)!,
          elo: round(elo.get(id)!),
          bt: round(bt.get(id)!),
          ciLow: round(ci.get(id)!.low),
          ciHigh: round(ci.get(id)!.high),
          votes: t.votes,
          wins: t.wins,
          losses: t.losses,
          ties: t.ties,
          winRate: t.votes > 0 ? Math.round(((t.wins + t.ties / 2) / t.votes) * 1000) / 1000 : 0,
        };
      }),
      winRates: matrix.map((row) => row.map((v) => (v === null ? null : Math.round(v * 1000) / 1000))),
      totalVotes: votes.length,
    };
  }

  async excludedUsers() {
    const rows = await this.arena.excludedUsers();
    return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
  }

  /** Admins exclude a user's votes from the leaderboard (and can take it back). */
  async setExcluded(admin: AuthUser, userId: string, excluded: boolean, meta?: RequestMeta): Promise<void> {
    if (!(await this.users.findById(userId))) throw arenaError(ArenaErrorCode.UserNotFound, 'User not found');
    await this.arena.setExcluded(userId, excluded, admin.id);
    await this.audit.record({
      actorId: admin.id,
      action: excluded ? 'arena.exclude_user' : 'arena.include_user',
      targetType: 'user',
      targetId: userId,
      meta,
    });
  }

  private async usableEnrolled(user: AuthUser): Promise<UsableModelConfig[]> {
    const usable: UsableModelConfig[] = [];
    for (const id of await this.arena.enrolledIds()) {
      try {
        usable.push(await this.modelConfigs.openForUse(user, id));
      } catch {
        // A disabled provider or a config no longer shared sits this battle out.
      }
    }
    return usable;
  }

  private async owned(user: AuthUser, id: string): Promise<BattleRow> {
    const battle = await this.arena.findBattle(id);
    if (!battle || battle.userId !== user.id) throw arenaError(ArenaErrorCode.BattleNotFound, 'Battle not found');
    return battle;
  }
}

function reveal(battle: BattleRow) {
  return {
    a: { modelConfigId: battle.modelAId, name: battle.nameA },
    b: { modelConfigId: battle.modelBId, name: battle.nameB },
  };
}
