import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PromptQuery, PromptVariable, PromptVisibility, TeamRole } from '@modelyard/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { likePattern } from '../../common/pagination';

export interface PromptRow {
  id: string;
  ownerId: string;
  ownerName: string;
  name: string;
  description: string;
  content: string;
  category: string;
  tags: string[];
  visibility: PromptVisibility;
  teamId: string | null;
  teamName: string | null;
  variables: PromptVariable[];
  version: number;
  official: boolean;
  usageCount: number;
  lastUsedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Per asking user. */
  isFavorite: boolean;
  myTeamRole: TeamRole | null;
}

export interface PromptVersionRow {
  version: number;
  content: string;
  variables: PromptVariable[];
  changeNote: string | null;
  authorId: string | null;
  authorName: string | null;
  createdAt: Date;
}

export interface NewPrompt {
  ownerId: string;
  name: string;
  description: string;
  content: string;
  category: string;
  tags: string[];
  visibility: PromptVisibility;
  teamId: string | null;
  variables: PromptVariable[];
  official: boolean;
}

export type PromptChanges = Partial<Omit<NewPrompt, 'ownerId' | 'content' | 'variables'>>;

/** A new immutable version: the content and variable metadata it holds, who wrote it and why. */
export interface NewVersion {
  content: string;
  variables: PromptVariable[];
  changeNote: string | null;
  authorId: string;
}

export type UsageSource = 'chat' | 'batch' | 'compare';

/** The searchable text; the same expression as the trigram index, so the index serves the search. */
const SEARCH_TEXT = `prompt_search_text(p.name, p.description, p.content, p.tags)`;

/** `$1` is the asking user's id in every query built with these. */
const PROMPT_COLUMNS = `
  p.id, p.owner_id AS "ownerId", u.nickname AS "ownerName", p.name, p.description, p.content, p.category, p.tags,
  p.visibility, p.team_id AS "teamId", t.name AS "teamName", p.variables, p.version, p.official,
  p.usage_count AS "usageCount", p.last_used_at AS "lastUsedAt", p.created_at AS "createdAt",
  p.updated_at AS "updatedAt",
  EXISTS (SELECT 1 FROM prompt_favorites f WHERE f.prompt_id = p.id AND f.user_id = $1) AS "isFavorite",
  (SELECT m.role FROM team_members m WHERE m.team_id = p.team_id AND m.user_id = $1) AS "myTeamRole"`;
const PROMPT_FROM = `prompts p JOIN users u ON u.id = p.owner_id LEFT JOIN teams t ON t.id = p.team_id`;

/** What `$1` may read (admins: everything). Mirrors promptAccess().read, in SQL for lists. */
const READABLE = `(p.owner_id = $1 OR p.visibility = 'public' OR (p.visibility = 'team' AND EXISTS (
  SELECT 1 FROM team_members m WHERE m.team_id = p.team_id AND m.user_id = $1)))`;

const SORTS: Record<PromptQuery['sort'], string> = {
  recent: 'p.updated_at DESC',
  name: 'lower(p.name) ASC',
  usage: 'p.usage_count DESC, p.last_used_at DESC NULLS LAST',
};

/** Prompts, their versions, labels, favourites and usage (plain parameterised SQL). */
@Injectable()
export class PromptsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Readable prompts matching the filters, the caller's favourites first. */
  async list(userId: string, isAdmin: boolean, query: PromptQuery): Promise<[PromptRow[], number]> {
    const params: unknown[] = [userId];
    // The count query must use `$1` too: Postgres cannot infer the type of a parameter no condition mentions.
    const where: string[] = [isAdmin ? '$1::uuid IS NOT NULL' : READABLE];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.search) where.push(`${SEARCH_TEXT} ILIKE ${param(likePattern(query.search))}`);
    if (query.category) where.push(`p.category = ${param(query.category)}`);
    if (query.tag) where.push(`${param(query.tag)} = ANY (p.tags)`);
    if (query.visibility) where.push(`p.visibility = ${param(query.visibility)}`);
    if (query.teamId) where.push(`p.team_id = ${param(query.teamId)} AND p.visibility = 'team'`);
    if (query.mine) where.push('p.owner_id = $1');
    if (query.favorite)
      where.push('EXISTS (SELECT 1 FROM prompt_favorites f WHERE f.prompt_id = p.id AND f.user_id = $1)');
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = (await this.db.query(`SELECT count(*)::int AS total FROM prompts p ${filter}`, params)) as {
      total: number;
    }[];
    const limit = param(query.pageSize);
    const offset = param((query.page - 1) * query.pageSize);
    const rows = (await this.db.query(
      `SELECT ${PROMPT_COLUMNS} FROM ${PROMPT_FROM} ${filter}
        ORDER BY "isFavorite" DESC, ${SORTS[query.sort]}, p.id LIMIT ${limit} OFFSET ${offset}`,
      params,
    )) as PromptRow[];
    return [rows, total];
  }

  async find(id: string, userId: string): Promise<PromptRow | null> {
    const rows = (await this.db.query(`SELECT ${PROMPT_COLUMNS} FROM ${PROMPT_FROM} WHERE p.id = $2`, [
      userId,
      id,
    ])) as PromptRow[];
    return rows[0] ?? null;
  }

  /** The caller's own prompts (all, or those among `ids`), for export. */
  async findOwned(ownerId: string, ids?: string[]): Promise<PromptRow[]> {
    return (await this.db.query(
      `SELECT ${PROMPT_COLUMNS} FROM ${PROMPT_FROM}
        WHERE p.owner_id = $1 AND ($2::uuid[] IS NULL OR p.id = ANY ($2)) ORDER BY lower(p.name)`,
      [ownerId, ids ?? null],
    )) as PromptRow[];
  }

  /** Lower-cased names the owner already uses, to pick free names for copies and imports. */

  async nameTaken(ownerId: string, name: string, exceptId?: string): Promise<boolean> {
    const rows = (await this.db.query(
      'SELECT 1 FROM prompts WHERE owner_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3)',
      [ownerId, name, exceptId ?? null],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Creates the prompt and its version 1 together. */
  async create(prompt: NewPrompt, changeNote: string | null): Promise<string> {
    return this.db.transaction((tx) => this.insert(tx, prompt, changeNote));
  }

  /**
   * Creates prompts under names their owner does not use yet, all or nothing: `pick` chooses each name from the one
   * wanted and those taken, under a per-owner lock, so copies and imports made at the same moment never pick the same
   * free name.
   */
  async createUnderFreeNames(
    ownerId: string,
    prompts: NewPrompt[],
    pick: (wanted: string, taken: ReadonlySet<string>) => string,
    changeNote: string,
  ): Promise<{ id: string; name: string }[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('prompt-names'), hashtext($1))`, [ownerId]);
      const rows = (await tx.query('SELECT lower(name) AS name FROM prompts WHERE owner_id = $1', [ownerId])) as {
        name: string;
      }[];
      const taken = new Set(rows.map((r) => r.name));
      const created: { id: string; name: string }[] = [];
      for (const prompt of prompts) {
        const name = pick(prompt.name, taken);
        taken.add(name.toLowerCase());
        created.push({ id: await this.insert(tx, { ...prompt, name }, changeNote), name });
      }
      return created;
    });
  }

  private async insert(tx: EntityManager, prompt: NewPrompt, changeNote: string | null): Promise<string> {
    const [{ id }] = (await tx.query(
      `INSERT INTO prompts (owner_id, name, description, content, category, tags, visibility, team_id, variables,
                            official)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        prompt.ownerId,
        prompt.name,
        prompt.description,
        prompt.content,
        prompt.category,
        prompt.tags,
        prompt.visibility,
        prompt.teamId,
        JSON.stringify(prompt.variables),
        prompt.official,
      ],
    )) as { id: string }[];
    await tx.query(
      `INSERT INTO prompt_versions (prompt_id, version, content, variables, change_note, author_id)
       VALUES ($1, 1, $2, $3, $4, $5)`,
      [id, prompt.content, JSON.stringify(prompt.variables), changeNote, prompt.ownerId],
    );
    return id;
  }

  /**
   * Applies metadata changes and, when given, appends a new version and makes it current. The prompt row is
   * locked first so two concurrent saves get consecutive version numbers instead of colliding.
   */
  async update(id: string, changes: PromptChanges, version: NewVersion | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [{ version: current }] = (await tx.query('SELECT version FROM prompts WHERE id = $1 FOR UPDATE', [id])) as {
        version: number;
      }[];
      const sets: string[] = ['updated_at = now()'];
      const params: unknown[] = [id];
      const set = (column: string, value: unknown) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (changes.name !== undefined) set('name', changes.name);
      if (changes.description !== undefined) set('description', changes.description);
      if (changes.category !== undefined) set('category', changes.category);
      if (changes.tags !== undefined) set('tags', changes.tags);
      if (changes.visibility !== undefined) set('visibility', changes.visibility);
      if (changes.teamId !== undefined) set('team_id', changes.teamId);
      if (changes.official !== undefined) set('official', changes.official);
      if (version) {
        const next = current + 1;
        set('version', next);
        set('content', version.content);
        set('variables', JSON.stringify(version.variables));
        await tx.query(
          `INSERT INTO prompt_versions (prompt_id, version, content, variables, change_note, author_id)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [id, next, version.content, JSON.stringify(version.variables), version.changeNote, version.authorId],
        );
      }
      await tx.query(`UPDATE prompts SET ${sets.join(', ')} WHERE id = $1`, params);
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.query('DELETE FROM prompts WHERE id = $1', [id]);
  }

  async versions(promptId: string, page: number, pageSize: number): Promise<[PromptVersionRow[], number]> {
    const [{ total }] = (await this.db.query(
      'SELECT count(*)::int AS total FROM prompt_versions WHERE prompt_id = $1',
      [promptId],
    )) as { total: number }[];
    const rows = (await this.db.query(
      `SELECT v.version, v.content, v.variables, v.change_note AS "changeNote", v.author_id AS "authorId",
              u.nickname AS "authorName", v.created_at AS "createdAt"
         FROM prompt_versions v LEFT JOIN users u ON u.id = v.author_id
        WHERE v.prompt_id = $1 ORDER BY v.version DESC LIMIT $2 OFFSET $3`,
      [promptId, pageSize, (page - 1) * pageSize],
    )) as PromptVersionRow[];
    return [rows, total];
  }

  async version(promptId: string, version: number): Promise<PromptVersionRow | null> {
    const rows = (await this.db.query(
      `SELECT v.version, v.content, v.variables, v.change_note AS "changeNote", v.author_id AS "authorId",
              u.nickname AS "authorName", v.created_at AS "createdAt"
         FROM prompt_versions v LEFT JOIN users u ON u.id = v.author_id
        WHERE v.prompt_id = $1 AND v.version = $2`,
      [promptId, version],
    )) as PromptVersionRow[];
    return rows[0] ?? null;
  }

  /** label → version for each of the prompts. */
  async labels(promptIds: string[]): Promise<Map<string, Record<string, number>>> {
    const byPrompt = new Map<string, Record<string, number>>(promptIds.map((id) => [id, {}]));
    if (promptIds.length === 0) return byPrompt;
    const rows = (await this.db.query(
      'SELECT prompt_id AS "promptId", label, version FROM prompt_labels WHERE prompt_id = ANY ($1) ORDER BY label',
      [promptIds],
    )) as { promptId: string; label: string; version: number }[];
    for (const row of rows) byPrompt.get(row.promptId)![row.label] = row.version;
    return byPrompt;
  }

  async setLabel(promptId: string, label: string, version: number, userId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO prompt_labels (prompt_id, label, version, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (prompt_id, label) DO UPDATE SET version = $3, updated_by = $4, updated_at = now()`,
      [promptId, label, version, userId],
    );
  }

  /** False when there was no such label. */
  async removeLabel(promptId: string, label: string): Promise<boolean> {
    // For DELETE, TypeORM's query() answers [rows, affectedCount] rather than the rows alone.
    const [, affected] = (await this.db.query('DELETE FROM prompt_labels WHERE prompt_id = $1 AND label = $2', [
      promptId,
      label,
    ])) as [unknown[], number];
    return affected > 0;
  }

  async setFavorite(promptId: string, userId: string, favorite: boolean): Promise<void> {
    if (favorite) {
      await this.db.query('INSERT INTO prompt_favorites (prompt_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        promptId,
        userId,
      ]);
    } else {
      await this.db.query('DELETE FROM prompt_favorites WHERE prompt_id = $1 AND user_id = $2', [promptId, userId]);
    }
  }

  /** Counts one use and records which version it was. */
  async recordUsage(promptId: string, version: number, userId: string, source: UsageSource): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('INSERT INTO prompt_usages (prompt_id, version, user_id, source) VALUES ($1, $2, $3, $4)', [
        promptId,
        version,
        userId,
        source,
      ]);
      await tx.query('UPDATE prompts SET usage_count = usage_count + 1, last_used_at = now() WHERE id = $1', [
        promptId,
      ]);
    });
  }

  /** Categories in use among the prompts the user may read, with counts. */
  async categoryCounts(userId: string, isAdmin: boolean): Promise<{ category: string; count: number }[]> {
    return (await this.db.query(
      `SELECT p.category, count(*)::int AS count FROM prompts p WHERE ($2::boolean OR ${READABLE})
        GROUP BY p.category ORDER BY count DESC, p.category`,
      [userId, isAdmin],
    )) as { category: string; count: number }[];
  }

  async tagCounts(userId: string, isAdmin: boolean, limit: number): Promise<{ tag: string; count: number }[]> {
    return (await this.db.query(
      `SELECT tag, count(*)::int AS count FROM prompts p, unnest(p.tags) AS tag
        WHERE ($2::boolean OR ${READABLE})
        GROUP BY tag ORDER BY count DESC, tag LIMIT $3`,
      [userId, isAdmin, limit],
    )) as { tag: string; count: number }[];
  }
}
