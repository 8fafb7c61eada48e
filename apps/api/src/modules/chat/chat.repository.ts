import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { SessionQuery } from '@modelyard/contracts';
import { Brackets, DataSource, type EntityMetadata, In, Repository } from 'typeorm';
import { likePattern } from '../../common/pagination';
import { entityFromJson, entityFromRow, preparedQuery, selectColumns } from '../../database/raw-sql';
import { ModelConfigEntity } from '../model-configs/model-config.entity';
import type { ProviderEntity } from '../providers/provider.entity';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatSessionEntity } from './chat-session.entity';

export type NewMessage = Pick<ChatMessageEntity, 'sessionId' | 'parentId' | 'role' | 'content' | 'status'> &
  Partial<Omit<ChatMessageEntity, 'id' | 'createdAt' | 'updatedAt'>>;
/** A message of an imported export: everything it recorded, under a new id. */
export type ImportedMessage = Omit<ChatMessageEntity, 'updatedAt' | 'modelConfigId' | 'generationId' | 'ownerInstance'>;
export type MessageChanges = Partial<Omit<ChatMessageEntity, 'id' | 'sessionId' | 'createdAt' | 'updatedAt'>>;
/** What a new chat turn starts from; see `ChatRepository.openTurn`. */
export interface TurnContext {
  session: ChatSessionEntity;
  /** The branch the turn continues, oldest first (empty for a first message or an explicit `parentId: null`). */
  path: ChatMessageEntity[];
  /** The session's own model config, else its owner's default, with its provider; null when there is neither. */
  config: ModelConfigEntity | null;
}

export type SessionChanges = Partial<Omit<ChatSessionEntity, 'id' | 'ownerId' | 'createdAt' | 'updatedAt'>>;

/** The columns a new message is inserted with; the others start null (timestamps: now()). */
const INSERTED_COLUMNS = [
  'id',
  'session_id',
  'parent_id',
  'role',
  'content',
  'reasoning',
  'model',
  'model_config_id',
  'status',
  'generation_id',
  'owner_instance',
] as const;

/** Their types, for the statement's casts (a `SELECT … FROM (VALUES …)` does not take them from the table). */
const COLUMN_TYPES: Record<(typeof INSERTED_COLUMNS)[number], 'uuid' | 'text'> = {
  id: 'uuid',
  session_id: 'uuid',
  parent_id: 'uuid',
  role: 'text',
  content: 'text',
  reasoning: 'text',
  model: 'text',
  model_config_id: 'uuid',
  status: 'text',
  generation_id: 'uuid',
  owner_instance: 'text',
};

/** 17 columns a row: well under PostgreSQL's 65,535 parameters a statement. */
const IMPORT_ROWS_PER_STATEMENT = 1000;

/** Sessions and their message trees. */
@Injectable()
export class ChatRepository {
  constructor(
    @InjectRepository(ChatSessionEntity) private readonly sessions: Repository<ChatSessionEntity>,
    @InjectRepository(ChatMessageEntity) private readonly messages: Repository<ChatMessageEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Pinned first, then by last activity. Search matches titles and message text (trigram-indexed ILIKE). */
  async listSessions(
    ownerId: string,
    query: SessionQuery,
  ): Promise<[(ChatSessionEntity & { snippet?: string })[], number]> {
    const qb = this.sessions
      .createQueryBuilder('s')
      .where('s.owner_id = :ownerId', { ownerId })
      .andWhere(`s.kind = 'chat'`);
    qb.andWhere('s.archived = :archived', { archived: query.archived ?? false });
    let pattern: string | undefined;
    if (query.search) {
      pattern = likePattern(query.search);
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('s.title ILIKE :pattern', { pattern })
            // Answers still streaming are not searched (nor trigram-indexed, see the ChatSearchSkipsStreaming migration).
            .orWhere(
              `EXISTS (SELECT 1 FROM chat_messages m
                        WHERE m.session_id = s.id AND m.status <> 'streaming' AND m.content ILIKE :pattern)`,
              { pattern },
            ),
        ),
      );
    }
    qb.orderBy('s.pinned', 'DESC').addOrderBy('s.last_activity_at', 'DESC').addOrderBy('s.id', 'ASC');
    qb.offset((query.page - 1) * query.pageSize).limit(query.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    if (!pattern || rows.length === 0) return [rows, total];
    const snippets: { session_id: string; content: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (session_id) session_id, content FROM chat_messages
        WHERE session_id = ANY($1) AND status <> 'streaming' AND content ILIKE $2 ORDER BY session_id, created_at`,
      [rows.map((r) => r.id), pattern],
    );
    const bySession = new Map(snippets.map((s) => [s.session_id, s.content]));
    return [
      rows.map((row) => Object.assign(row, { snippet: excerpt(bySession.get(row.id), query.search ?? '') })),
      total,
    ];
  }

  /** A prepared statement: this lookup starts every chat message. */
  async findSession(id: string): Promise<ChatSessionEntity | null> {
    const rows = await preparedQuery(
      this.dataSource,
      `SELECT ${selectColumns(this.sessions.metadata, 's')} FROM chat_sessions s WHERE s.id = $1`,
      [id],
    );
    return rows[0] ? entityFromRow(this.sessions.metadata, rows[0]) : null;
  }

  findSessions(ids: string[]): Promise<ChatSessionEntity[]> {
    return this.sessions.findBy({ id: In(ids) });
  }

  createSession(
    session: Pick<ChatSessionEntity, 'ownerId' | 'title' | 'titleIsAuto' | 'modelConfigId' | 'systemPrompt'> &
      Partial<Pick<ChatSessionEntity, 'kind'>>,
  ) {
    return this.sessions.save(
      this.sessions.create({
        kind: 'chat',
        ...session,
        pinned: false,
        archived: false,
        currentLeafId: null,
        messageCount: 0,
        lastActivityAt: new Date(),
      }),
    );
  }

  async updateSession(id: string, changes: SessionChanges): Promise<ChatSessionEntity> {
    await this.sessions.update({ id }, changes);
    return this.sessions.findOneByOrFail({ id });
  }

  async deleteSessions(ownerId: string, ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const owned = await this.sessions.find({ where: { id: In(ids), ownerId }, select: { id: true } });
    if (owned.length === 0) return [];
    await this.sessions.delete({ id: In(owned.map((s) => s.id)), ownerId });
    return owned.map((s) => s.id);
  }

  listMessages(sessionId: string): Promise<ChatMessageEntity[]> {
    return this.messages.find({ where: { sessionId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** One page of a session's messages, oldest first, and how many it has in all. */
  listMessagesPage(sessionId: string, page: number, pageSize: number): Promise<[ChatMessageEntity[], number]> {
    return this.messages.findAndCount({
      where: { sessionId },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
  }

  findMessage(id: string): Promise<ChatMessageEntity | null> {
    return this.messages.findOneBy({ id });
  }

  findByGeneration(generationId: string): Promise<ChatMessageEntity | null> {
    return this.messages.findOneBy({ generationId });
  }

  /**
   * Everything a new chat turn starts from, in one prepared statement (it sits before every answer's first token):
   * the session, the branch it continues (the path to `parentId`, to the session's current leaf when undefined,
   * none when null) and the model config it answers with, provider included. Keyed by the session only: the caller
   * checks the session's owner, the config's visibility and that the branch belongs to the session.
   */
  async openTurn(sessionId: string, parentId: string | null | undefined): Promise<TurnContext | null> {
    const { text, configs, providers } = this.turnStatement();
    const rows = await preparedQuery(this.dataSource, text, [sessionId, parentId !== undefined, parentId ?? null]);
    const row = rows[0];
    if (!row) return null;
    let config: ModelConfigEntity | null = null;
    if (row['c.id'] !== null) {
      config = entityFromRow<ModelConfigEntity>(configs, row, 'c');
      config.provider = entityFromRow<ProviderEntity>(providers, row, 'p');
    }
    return {
      session: entityFromRow<ChatSessionEntity>(this.sessions.metadata, row, 's'),
      path: ((row.path as Record<string, unknown>[] | null) ?? []).map((m) =>
        entityFromJson<ChatMessageEntity>(this.messages.metadata, m),
      ),
      config,
    };
  }

  /** The path from the root to `leafId`, oldest first (a regeneration's history: prepared, like `openTurn`). */
  async pathTo(leafId: string): Promise<ChatMessageEntity[]> {
    this.pathToText ??= `${this.pathCte('$1::uuid')} SELECT * FROM path ORDER BY depth DESC`;
    const rows = await preparedQuery(this.dataSource, this.pathToText, [leafId]);
    return rows.map((row) => entityFromRow(this.messages.metadata, row));
  }

  /** Statements and rows derived from the entities once, on first use. */
  private pathToText?: string;
  private turn?: { text: string; configs: EntityMetadata; providers: EntityMetadata };
  private nullMessageRow?: Record<string, null>;

  /** A message row with every column null. */
  private nullRow(): Record<string, null> {
    this.nullMessageRow ??= Object.fromEntries(this.messages.metadata.columns.map((c) => [c.databaseName, null]));
    return this.nullMessageRow;
  }

  /** `openTurn`'s statement and the metadata to read its row, built once. */
  private turnStatement() {
    if (!this.turn) {
      const configs = this.dataSource.getMetadata(ModelConfigEntity);
      const providers = configs.findRelationWithPropertyPath('provider')!.inverseEntityMetadata;
      const text = `SELECT ${selectColumns(this.sessions.metadata, 's', 's')}, ${selectColumns(configs, 'c', 'c')},
              ${selectColumns(providers, 'p', 'p')},
              (${this.pathCte('CASE WHEN $2::boolean THEN $3::uuid ELSE s.current_leaf_id END')}
               SELECT json_agg(path ORDER BY depth DESC) FROM path) AS path
         FROM chat_sessions s
         JOIN users u ON u.id = s.owner_id
         LEFT JOIN model_configs c ON c.id = COALESCE(s.model_config_id, u.default_model_config_id)
         LEFT JOIN providers p ON p.id = c.provider_id
        WHERE s.id = $1`;
      this.turn = { text, configs, providers };
    }
    return this.turn;
  }

  /** `path`: the messages from the one whose id is the SQL expression `leaf` up to the root, with their depth. */
  private pathCte(leaf: string): string {
    const columns = selectColumns(this.messages.metadata, 'm');
    return `WITH RECURSIVE path AS (
         SELECT ${columns}, 0 AS depth FROM chat_messages m WHERE m.id = ${leaf}
         UNION ALL
         SELECT ${columns}, p.depth + 1 FROM chat_messages m JOIN path p ON m.id = p.parent_id
       )`;
  }

  /**
   * Inserts messages, each the child of the one before (the first under its own `parentId`), and moves the
   * session's leaf, count and activity, in one statement. Ids may be chosen by the caller, so a generation can
   * name its messages before they are stored. Null (nothing stored) when the session is gone, or when
   * `expectedLeaf` is given and the session no longer ends there (another turn came first). `sessionChanges` are
   * made to the session in the same statement.
   */
  async appendMessages(
    sessionId: string,
    messages: (NewMessage & { id?: string })[],
    leafIndex: number,
    expectedLeaf?: string | null,
    sessionChanges: SessionChanges = {},
  ): Promise<ChatMessageEntity[] | null> {
    if (messages.length === 0) return [];
    const values: unknown[] = [sessionId];
    const param = (value: unknown) => `$${values.push(value)}`;
    let parentId = messages[0]!.parentId ?? null;
    // Every column but the timestamps is known here (the ones not inserted start null): only those come back.
    const inserted = messages.map((message) => {
      const row: Record<string, unknown> = {
        ...this.nullRow(),
        id: message.id ?? randomUUID(),
        session_id: sessionId,
        parent_id: parentId,
        role: message.role,
        content: message.content,
        reasoning: message.reasoning ?? null,
        model: message.model ?? null,
        model_config_id: message.modelConfigId ?? null,
        status: message.status,
        generation_id: message.generationId ?? null,
        owner_instance: message.ownerInstance ?? null,
      };
      parentId = row.id as string;
      return row;
    });
    // Rows of one statement would share now(): a microsecond apart, a question is listed before its answer.
    const tuples = inserted.map(
      (row, index) =>
        `(${INSERTED_COLUMNS.map((column) => (column === 'session_id' ? '$1::uuid' : `${param(row[column])}::${COLUMN_TYPES[column]}`)).join(', ')}, ` +
        `now() + interval '${index} microseconds')`,
    );
    const leaf = param(inserted[leafIndex]?.id ?? null);
    const count = param(messages.length);
    const leafCheck =
      expectedLeaf === undefined ? '' : ` AND current_leaf_id IS NOT DISTINCT FROM ${param(expectedLeaf)}::uuid`;
    // What the turn changes in the session (its model, a prompt from the library) is stored with it or not at all.
    const changed = Object.entries(sessionChanges)
      .filter(([, value]) => value !== undefined)
      .map(([property, value]) => {
        const column = this.sessions.metadata.findColumnWithPropertyName(property)!.databaseName;
        return `, ${column} = ${param(value)}`;
      })
      .join('');
    // The rows go in only if the session row is updated: it still exists and, when asked, still ends at the leaf the
    // turn was read at. A concurrent turn holds the row's lock until it commits; this update then sees its new leaf.
    // Foreign keys (the parent inserted in the same statement) are checked at the end of the statement.
    const text = `WITH session AS (
         UPDATE chat_sessions SET current_leaf_id = ${leaf}::uuid, message_count = message_count + ${count}::int,
                last_activity_at = now(), updated_at = now()${changed}
          WHERE id = $1${leafCheck}
          RETURNING id
       ), inserted AS (
         INSERT INTO chat_messages (${INSERTED_COLUMNS.join(', ')}, created_at)
         SELECT v.* FROM session, (VALUES ${tuples.join(', ')}) AS v
         RETURNING id, created_at, updated_at
       ) SELECT * FROM inserted`;
    // A chat turn (one or two rows) is prepared; seeding a column session with a long history is not worth it.
    const rows: Record<string, unknown>[] =
      messages.length <= 2
        ? await preparedQuery(this.dataSource, text, values)
        : await this.dataSource.query(text, values);
    if (rows.length === 0) return null;
    const stamps = new Map(rows.map((row) => [row.id as string, row]));
    return inserted.map((row) =>
      entityFromRow<ChatMessageEntity>(this.messages.metadata, { ...row, ...stamps.get(row.id as string) }),
    );
  }

  /** An imported session's messages (parents first) and the leaf on show, all or nothing. */
  async importMessages(sessionId: string, messages: ImportedMessage[], leafId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Parents go in an earlier statement than their children, or in the same one (checked at its end).
      for (let start = 0; start < messages.length; start += IMPORT_ROWS_PER_STATEMENT) {
        await manager.insert(ChatMessageEntity, messages.slice(start, start + IMPORT_ROWS_PER_STATEMENT));
      }
      await manager.update(
        ChatSessionEntity,
        { id: sessionId },
        { currentLeafId: leafId, messageCount: messages.length, lastActivityAt: new Date() },
      );
    });
  }

  /** The text so far of many streaming answers in one statement; finished ones are left alone. */
  async saveProgress(
    messages: {
      id: string;
      content: string;
      reasoning: string | null;
      ttftMs: number | null;
      reasoningMs: number | null;
    }[],
  ): Promise<void> {
    if (messages.length === 0) return;
    await preparedQuery(
      this.dataSource,
      `UPDATE chat_messages m
          SET content = v.content, reasoning = v.reasoning, ttft_ms = v.ttft_ms, reasoning_ms = v.reasoning_ms,
              updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::int[]) AS v(id, content, reasoning, ttft_ms, reasoning_ms)
        WHERE m.id = v.id AND m.status = 'streaming'`,
      [
        messages.map((m) => m.id),
        messages.map((m) => m.content),
        messages.map((m) => m.reasoning),
        messages.map((m) => m.ttftMs),
        messages.map((m) => m.reasoningMs),
      ],
    );
  }

  /** Prepared (one text per set of changed columns, a handful in all): every answer is saved at its end. */
  async updateMessage(id: string, changes: MessageChanges): Promise<void> {
    const values: unknown[] = [id];
    const sets: string[] = [];
    for (const [property, value] of Object.entries(changes)) {
      const column = this.messages.metadata.findColumnWithPropertyName(property);
      if (!column || value === undefined) continue;
      values.push(column.type === 'jsonb' && value !== null ? JSON.stringify(value) : value);
      sets.push(`${column.databaseName} = $${values.length}`);
    }
    sets.push('updated_at = now()');
    await preparedQuery(this.dataSource, `UPDATE chat_messages SET ${sets.join(', ')} WHERE id = $1`, values);
  }

  /** The bytes of text (answers, questions, reasoning) the sessions hold: what an export of them renders. */
  async textBytes(sessionIds: string[]): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT coalesce(sum(octet_length(content) + coalesce(octet_length(reasoning), 0)), 0)::float8 AS bytes
         FROM chat_messages WHERE session_id = ANY($1::uuid[])`,
      [sessionIds],
    )) as { bytes: number }[];
    return row?.bytes ?? 0;
  }

  /** Messages still marked streaming, with the process that runs them. */
  listStreaming(): Promise<ChatMessageEntity[]> {
    return this.messages.find({ where: { status: 'streaming' } });
  }

  async clearMessages(sessionId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('DELETE FROM chat_messages WHERE session_id = $1', [sessionId]);
      await manager.query(
        'UPDATE chat_sessions SET current_leaf_id = NULL, message_count = 0, updated_at = now() WHERE id = $1',
        [sessionId],
      );
    });
  }
}

function excerpt(text: string | undefined, term: string): string | undefined {
  if (!text) return undefined;
  const at = text.toLowerCase().indexOf(term.toLowerCase());
  const start = Math.max(0, at - 40);
  return `${start > 0 ? '…' : ''}${text.slice(start, start + 120)}${start + 120 < text.length ? '…' : ''}`;
}
