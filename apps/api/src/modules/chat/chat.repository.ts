import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { SessionQuery } from '@modelyard/contracts';
import { Brackets, DataSource, In, Repository } from 'typeorm';
import { likePattern } from '../../common/pagination';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatSessionEntity } from './chat-session.entity';

export type NewMessage = Pick<ChatMessageEntity, 'sessionId' | 'parentId' | 'role' | 'content' | 'status'> &
  Partial<Omit<ChatMessageEntity, 'id' | 'createdAt' | 'updatedAt'>>;
export type MessageChanges = Partial<Omit<ChatMessageEntity, 'id' | 'sessionId' | 'createdAt' | 'updatedAt'>>;
export type SessionChanges = Partial<Omit<ChatSessionEntity, 'id' | 'ownerId' | 'createdAt' | 'updatedAt'>>;

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
            .orWhere('EXISTS (SELECT 1 FROM chat_messages m WHERE m.session_id = s.id AND m.content ILIKE :pattern)', {
              pattern,
            }),
        ),
      );
    }
    qb.orderBy('s.pinned', 'DESC').addOrderBy('s.last_activity_at', 'DESC').addOrderBy('s.id', 'ASC');
    qb.offset((query.page - 1) * query.pageSize).limit(query.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    if (!pattern || rows.length === 0) return [rows, total];
    const snippets: { session_id: string; content: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (session_id) session_id, content FROM chat_messages
        WHERE session_id = ANY($1) AND content ILIKE $2 ORDER BY session_id, created_at`,
      [rows.map((r) => r.id), pattern],
    );
    const bySession = new Map(snippets.map((s) => [s.session_id, s.content]));
    return [
      rows.map((row) => Object.assign(row, { snippet: excerpt(bySession.get(row.id), query.search ?? '') })),
      total,
    ];
  }

  findSession(id: string): Promise<ChatSessionEntity | null> {
    return this.sessions.findOneBy({ id });
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

  findMessage(id: string): Promise<ChatMessageEntity | null> {
    return this.messages.findOneBy({ id });
  }

  findByGeneration(generationId: string): Promise<ChatMessageEntity | null> {
    return this.messages.findOneBy({ generationId });
  }

  /** The path from the root to `leafId`, oldest first. */
  async pathTo(leafId: string): Promise<ChatMessageEntity[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH RECURSIVE path AS (
         SELECT id, parent_id, 0 AS depth FROM chat_messages WHERE id = $1
         UNION ALL
         SELECT m.id, m.parent_id, p.depth + 1 FROM chat_messages m JOIN path p ON m.id = p.parent_id
       ) SELECT id FROM path ORDER BY depth DESC`,
      [leafId],
    );
    if (rows.length === 0) return [];
    const byId = new Map((await this.messages.findBy({ id: In(rows.map((r) => r.id)) })).map((m) => [m.id, m]));
    return rows.map((r) => byId.get(r.id)).filter((m): m is ChatMessageEntity => m !== undefined);
  }

  /** Inserts messages and moves the session's leaf, count and activity in one transaction. */
  async appendMessages(sessionId: string, messages: NewMessage[], leafIndex: number): Promise<ChatMessageEntity[]> {
    return this.dataSource.transaction(async (manager) => {
      const saved: ChatMessageEntity[] = [];
      let parentId = messages[0]?.parentId ?? null;
      for (const message of messages) {
        const row = await manager.save(ChatMessageEntity, manager.create(ChatMessageEntity, { ...message, parentId }));
        saved.push(row);
        parentId = row.id;
      }
      await manager.query(
        `UPDATE chat_sessions SET current_leaf_id = $2, message_count = message_count + $3, last_activity_at = now(), updated_at = now()
          WHERE id = $1`,
        [sessionId, saved[leafIndex]?.id ?? null, saved.length],
      );
      return saved;
    });
  }

  async updateMessage(id: string, changes: MessageChanges): Promise<void> {
    await this.messages.update({ id }, changes);
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
