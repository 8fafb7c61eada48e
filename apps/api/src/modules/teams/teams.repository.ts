import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { TeamRole } from '@modelyard/contracts';
import { DataSource } from 'typeorm';
import { likePattern } from '../../common/pagination';

export interface TeamRow {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  promptCount: number;
  /** The asking user's role, null when they are not a member. */
  myRole: TeamRole | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TeamMemberRow {
  userId: string;
  nickname: string;
  email: string;
  role: TeamRole;
  joinedAt: Date;
}

const TEAM_COLUMNS = `
  t.id, t.name, t.description, t.created_at AS "createdAt", t.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM team_members x WHERE x.team_id = t.id) AS "memberCount",
  (SELECT count(*)::int FROM prompts p WHERE p.team_id = t.id AND p.visibility = 'team') AS "promptCount",
  (SELECT x.role FROM team_members x WHERE x.team_id = t.id AND x.user_id = $1) AS "myRole"`;

/** Teams and their memberships (plain parameterised SQL: the queries are counts and joins, not entity graphs). */
@Injectable()
export class TeamsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The teams `userId` belongs to, or every team when `all`. Sorted by name. */
  async list(
    userId: string,
    options: { all: boolean; search?: string; page: number; pageSize: number },
  ): Promise<[TeamRow[], number]> {
    const params: unknown[] = [userId];
    // The count query must use `$1` too: Postgres cannot infer the type of a parameter no condition mentions.
    const where: string[] = [
      options.all
        ? '$1::uuid IS NOT NULL'
        : 'EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.user_id = $1)',
    ];
    if (options.search) {
      params.push(likePattern(options.search));
      where.push(`(t.name ILIKE $${params.length} OR t.description ILIKE $${params.length})`);
    }
    const filter = `WHERE ${where.join(' AND ')}`;
    const [{ total }] = (await this.db.query(`SELECT count(*)::int AS total FROM teams t ${filter}`, params)) as {
      total: number;
    }[];
    params.push(options.pageSize, (options.page - 1) * options.pageSize);
    const rows = (await this.db.query(
      `SELECT ${TEAM_COLUMNS} FROM teams t ${filter}
        ORDER BY lower(t.name), t.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as TeamRow[];
    return [rows, total];
  }

  async find(teamId: string, userId: string): Promise<TeamRow | null> {
    const rows = (await this.db.query(`SELECT ${TEAM_COLUMNS} FROM teams t WHERE t.id = $2`, [
      userId,
      teamId,
    ])) as TeamRow[];
    return rows[0] ?? null;
  }

  async nameTaken(name: string, exceptId?: string): Promise<boolean> {
    const rows = (await this.db.query(
      'SELECT 1 FROM teams WHERE lower(name) = lower($1) AND ($2::uuid IS NULL OR id <> $2)',
      [name, exceptId ?? null],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Creates the team with its creator as owner, atomically. */
  async create(input: { name: string; description: string; ownerId: string }): Promise<string> {
    return this.db.transaction(async (tx) => {
      const [{ id }] = (await tx.query(
        'INSERT INTO teams (name, description, created_by) VALUES ($1, $2, $3) RETURNING id',
        [input.name, input.description, input.ownerId],
      )) as { id: string }[];
      await tx.query(`INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, 'owner')`, [id, input.ownerId]);
      return id;
    });
  }

  async update(teamId: string, changes: { name?: string; description?: string }): Promise<void> {
    await this.db.query(
      `UPDATE teams SET name = coalesce($2, name), description = coalesce($3, description), updated_at = now()
        WHERE id = $1`,
      [teamId, changes.name ?? null, changes.description ?? null],
    );
  }

  /** Deletes the team; its prompts go back to their owners as private ones rather than disappearing. */
  async delete(teamId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE prompts SET visibility = 'private', team_id = NULL, updated_at = now() WHERE team_id = $1`,
        [teamId],
      );
      await tx.query('DELETE FROM teams WHERE id = $1', [teamId]);
    });
  }

  members(teamId: string): Promise<TeamMemberRow[]> {
    return this.db.query(
      `SELECT m.user_id AS "userId", u.nickname, u.email, m.role, m.created_at AS "joinedAt"
         FROM team_members m JOIN users u ON u.id = m.user_id
        WHERE m.team_id = $1
        ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, lower(u.nickname), u.id`,
      [teamId],
    ) as Promise<TeamMemberRow[]>;
  }

  async member(teamId: string, userId: string): Promise<TeamMemberRow | null> {
    const rows = (await this.db.query(
      `SELECT m.user_id AS "userId", u.nickname, u.email, m.role, m.created_at AS "joinedAt"
         FROM team_members m JOIN users u ON u.id = m.user_id WHERE m.team_id = $1 AND m.user_id = $2`,
      [teamId, userId],
    )) as TeamMemberRow[];
    return rows[0] ?? null;
  }

  /** Adds the member; false when they already are one. */
  async addMember(teamId: string, userId: string, role: TeamRole): Promise<boolean> {
    const rows = (await this.db.query(
      `INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (team_id, user_id) DO NOTHING RETURNING user_id`,
      [teamId, userId, role],
    )) as unknown[];
    return rows.length > 0;
  }

  /**
   * Changes a role or removes a member (their prompts in the team become private) unless that would leave the team
   * without an owner. The owners are locked
   * first, so two owners demoting each other at once cannot both succeed. Returns false when refused.
   */
  async changeMember(teamId: string, userId: string, role: TeamRole | null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const owners = (await tx.query(
        `SELECT user_id AS "userId" FROM team_members WHERE team_id = $1 AND role = 'owner' FOR UPDATE`,
        [teamId],
      )) as { userId: string }[];
      const losesOwner = owners.some((o) => o.userId === userId) && role !== 'owner';
      if (losesOwner && owners.length === 1) return false;
      if (role === null) {
        await tx.query('DELETE FROM team_members WHERE team_id = $1 AND user_id = $2', [teamId, userId]);
        // Who leaves takes their prompts with them (private again, as when a team is deleted): they could still
        // edit them, so the team's library would keep taking words from someone no longer in it.
        await tx.query(
          `UPDATE prompts SET visibility = 'private', team_id = NULL, updated_at = now()
            WHERE team_id = $1 AND owner_id = $2 AND visibility = 'team'`,
          [teamId, userId],
        );
      } else
        await tx.query('UPDATE team_members SET role = $3 WHERE team_id = $1 AND user_id = $2', [teamId, userId, role]);
      return true;
    });
  }

  /** The user's role in every team they belong to. */
  async rolesOf(userId: string): Promise<Map<string, TeamRole>> {
    const rows = (await this.db.query('SELECT team_id AS "teamId", role FROM team_members WHERE user_id = $1', [
      userId,
    ])) as { teamId: string; role: TeamRole }[];
    return new Map(rows.map((r) => [r.teamId, r.role]));
  }

  async roleOf(teamId: string, userId: string): Promise<TeamRole | null> {
    const rows = (await this.db.query('SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2', [
      teamId,
      userId,
    ])) as { role: TeamRole }[];
    return rows[0]?.role ?? null;
  }
}
