import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ArenaWinner } from '@modelyard/contracts';
import { DataSource } from 'typeorm';

export interface BattleRow {
  id: string;
  userId: string;
  prompt: string;
  modelAId: string | null;
  modelBId: string | null;
  nameA: string;
  nameB: string;
  sessionAId: string | null;
  sessionBId: string | null;
  winner: ArenaWinner | null;
  votedAt: Date | null;
  createdAt: Date;
}

export interface VoteRow {
  modelAId: string;
  modelBId: string;
  nameA: string;
  nameB: string;
  winner: ArenaWinner;
}

const BATTLE_COLUMNS = `id, user_id AS "userId", prompt, model_a_id AS "modelAId", model_b_id AS "modelBId",
  name_a AS "nameA", name_b AS "nameB", session_a_id AS "sessionAId", session_b_id AS "sessionBId", winner,
  voted_at AS "votedAt", created_at AS "createdAt"`;

@Injectable()
export class ArenaRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  enrolledIds(): Promise<string[]> {
    return this.db
      .query('SELECT model_config_id AS id FROM arena_models ORDER BY position, enrolled_at, model_config_id')
      .then((rows: { id: string }[]) => rows.map((r) => r.id));
  }

  /** Replaces the enrolment with exactly these configs, in this order. */
  async setEnrolled(ids: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM arena_models WHERE NOT (model_config_id = ANY ($1))', [ids]);
      await tx.query(
        `INSERT INTO arena_models (model_config_id, position)
         SELECT id, ordinality FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ordinality)
         ON CONFLICT (model_config_id) DO UPDATE SET position = excluded.position`,
        [ids],
      );
    });
  }

  async createBattle(battle: Omit<BattleRow, 'id' | 'winner' | 'votedAt' | 'createdAt'>): Promise<string> {
    const [{ id }] = (await this.db.query(
      `INSERT INTO arena_battles (user_id, prompt, model_a_id, model_b_id, name_a, name_b, session_a_id, session_b_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        battle.userId,
        battle.prompt,
        battle.modelAId,
        battle.modelBId,
        battle.nameA,
        battle.nameB,
        battle.sessionAId,
        battle.sessionBId,
      ],
    )) as { id: string }[];
    return id;
  }

  async findBattle(id: string): Promise<BattleRow | null> {
    const rows = (await this.db.query(`SELECT ${BATTLE_COLUMNS} FROM arena_battles WHERE id = $1`, [
      id,
    ])) as BattleRow[];
    return rows[0] ?? null;
  }

  /** Records the vote unless one exists already (one vote per battle, even under concurrent requests). */
  async vote(id: string, winner: ArenaWinner): Promise<boolean> {
    // For UPDATE the driver answers [rows, affected count].
    const [, affected] = (await this.db.query(
      'UPDATE arena_battles SET winner = $2, voted_at = now() WHERE id = $1 AND winner IS NULL',
      [id, winner],
    )) as [unknown[], number];
    return affected > 0;
  }

  /** Counted votes, oldest first (Elo is order-dependent), without those of excluded users. */
  votes(range: { from?: string; to?: string }): Promise<VoteRow[]> {
    const params: unknown[] = [];
    const where = [
      'b.winner IS NOT NULL',
      'b.model_a_id IS NOT NULL',
      'b.model_b_id IS NOT NULL',
      'NOT EXISTS (SELECT 1 FROM arena_excluded_users x WHERE x.user_id = b.user_id)',
    ];
    if (range.from) {
      params.push(range.from);
      where.push(`b.voted_at >= $${params.length}::timestamptz`);
    }
    if (range.to) {
      params.push(range.to);
      where.push(
        /^\d{4}-\d{2}-\d{2}$/.test(range.to)
          ? `b.voted_at < $${params.length}::date + 1`
          : `b.voted_at < $${params.length}::timestamptz`,
      );
    }
    return this.db.query(
      `SELECT b.model_a_id AS "modelAId", b.model_b_id AS "modelBId", b.name_a AS "nameA", b.name_b AS "nameB", b.winner
         FROM arena_battles b WHERE ${where.join(' AND ')} ORDER BY b.voted_at, b.id`,
      params,
    ) as Promise<VoteRow[]>;
  }

  excludedUsers(): Promise<{ userId: string; email: string; nickname: string; createdAt: Date }[]> {
    return this.db.query(
      `SELECT x.user_id AS "userId", u.email, u.nickname, x.created_at AS "createdAt"
         FROM arena_excluded_users x JOIN users u ON u.id = x.user_id ORDER BY x.created_at DESC`,
    ) as Promise<{ userId: string; email: string; nickname: string; createdAt: Date }[]>;
  }

  async setExcluded(userId: string, excluded: boolean, by: string): Promise<void> {
    if (excluded) {
      await this.db.query(
        'INSERT INTO arena_excluded_users (user_id, excluded_by) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [userId, by],
      );
    } else {
      await this.db.query('DELETE FROM arena_excluded_users WHERE user_id = $1', [userId]);
    }
  }
}
