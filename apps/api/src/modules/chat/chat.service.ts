import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { strToU8, zipSync } from 'fflate';
import {
  COMPARE_MAX_COLUMNS,
  type CreateSessionInput,
  DEFAULT_SESSION_TITLE,
  type ExportFormat,
  type GenerationMetaEvent,
  type ImportSessionInput,
  type MessageList,
  type MessageListQuery,
  type Paginated,
  type RegenerateInput,
  type SendMessageInput,
  type Session,
  type SessionQuery,
  type UpdateSessionInput,
} from '@modelyard/contracts';
import type { ChatMessage } from '@modelyard/llm-clients';
import type { AuthUser } from '../../common/auth/auth.decorators';
import { AppException } from '../../common/errors/app-exception';
import { paginated } from '../../common/pagination';
import { ModelConfigsErrorCode } from '../model-configs/model-configs.errors';
import { ModelConfigsRepository } from '../model-configs/model-configs.repository';
import { ModelConfigsService, type UsableModelConfig } from '../model-configs/model-configs.service';
import { PromptsService } from '../prompts/prompts.service';
import type { ChatMessageEntity } from './chat-message.entity';
import type { ChatSessionEntity } from './chat-session.entity';
import { ChatErrorCode, chatError } from './chat.errors';
import { toMessage, toSession } from './chat.mapper';
import { ChatRepository, type ImportedMessage, type NewMessage, type SessionChanges } from './chat.repository';
import type { ColumnStart } from './column-stream';
import { type ExportedSession, parentsFirst, renderExport } from './session-export';
import { GenerationsService } from './generations.service';
import { TITLE_INSTRUCTIONS, toTitle } from './session-title';

export interface StartedGeneration {
  generationId: string;
  meta: GenerationMetaEvent;
  assistantMessage: ChatMessageEntity;
}

/** The most text one export (one file, or one zip of several sessions) may hold. */
export const EXPORT_MAX_BYTES = 32 * 1024 * 1024;
/** Exports of more text than this run one after another in a process. */
const EXPORT_QUEUE_FROM_BYTES = 1024 * 1024;

@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);
  /** The large exports of this process, one after another. */
  private largeExports: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly chat: ChatRepository,
    private readonly generations: GenerationsService,
    private readonly modelConfigs: ModelConfigsService,
    private readonly modelConfigRows: ModelConfigsRepository,
    private readonly prompts: PromptsService,
  ) {}

  /* ------------------------------------------------------------- sessions */

  async listSessions(user: AuthUser, query: SessionQuery): Promise<Paginated<Session>> {
    const [rows, total] = await this.chat.listSessions(user.id, query);
    return paginated(rows.map(toSession), total, query.page, query.pageSize);
  }

  async createSession(user: AuthUser, input: CreateSessionInput): Promise<Session> {
    let modelConfigId = input.modelConfigId ?? null;
    if (modelConfigId) await this.modelConfigs.findVisible(user, modelConfigId);
    else modelConfigId = await this.modelConfigRows.defaultFor(user.id);
    const row = await this.chat.createSession({
      ownerId: user.id,
      title: input.title ?? DEFAULT_SESSION_TITLE,
      titleIsAuto: input.title === undefined,
      modelConfigId,
      systemPrompt: emptyToNull(input.systemPrompt),
    });
    return toSession(row);
  }

  async getSession(user: AuthUser, id: string): Promise<Session> {
    return toSession(await this.ownedSession(user, id));
  }

  async updateSession(user: AuthUser, id: string, input: UpdateSessionInput): Promise<Session> {
    const session = await this.ownedSession(user, id);
    if (input.modelConfigId) await this.modelConfigs.findVisible(user, input.modelConfigId);
    if (input.currentLeafId) {
      const leaf = await this.chat.findMessage(input.currentLeafId);
      if (!leaf || leaf.sessionId !== session.id) {
        throw chatError(ChatErrorCode.InvalidParent, 'That message is not part of this session', [
          { path: ['currentLeafId'], message: 'is not a message of this session' },
        ]);
      }
    }
    const updated = await this.chat.updateSession(id, {
      ...(input.title !== undefined && { title: input.title, titleIsAuto: false }),
      ...(input.modelConfigId !== undefined && { modelConfigId: input.modelConfigId }),
      // A system prompt set by hand replaces (and unlinks) one rendered from the library.
      ...(input.systemPrompt !== undefined && {
        systemPrompt: emptyToNull(input.systemPrompt),
        promptId: null,
        promptVersion: null,
        promptName: null,
      }),
      ...(input.pinned !== undefined && { pinned: input.pinned }),
      ...(input.archived !== undefined && { archived: input.archived }),
      ...(input.currentLeafId !== undefined && { currentLeafId: input.currentLeafId }),
    });
    return toSession(updated);
  }

  async deleteSession(user: AuthUser, id: string): Promise<void> {
    await this.ownedSession(user, id);
    await this.stopSessionGenerations(id);
    await this.chat.deleteSessions(user.id, [id]);
  }

  async deleteSessions(user: AuthUser, ids: string[]): Promise<{ deleted: string[]; skipped: string[] }> {
    const owned = (await this.ownedSessions(user, ids)).map((s) => s.id);
    for (const id of owned) await this.stopSessionGenerations(id);
    const deleted = await this.chat.deleteSessions(user.id, owned);
    const done = new Set(deleted);
    return { deleted, skipped: [...new Set(ids.map((id) => id.toLowerCase()))].filter((id) => !done.has(id)) };
  }

  async clearSession(user: AuthUser, id: string): Promise<Session> {
    await this.ownedSession(user, id);
    await this.stopSessionGenerations(id);
    await this.chat.clearMessages(id);
    return toSession(await this.ownedSession(user, id));
  }

  async listMessages(user: AuthUser, sessionId: string, query: MessageListQuery): Promise<MessageList> {
    const session = await this.ownedSession(user, sessionId);
    const [rows, total] = await this.chat.listMessagesPage(session.id, query.page, query.pageSize);
    return {
      ...paginated(rows.map(toMessage), total, query.page, query.pageSize),
      currentLeafId: session.currentLeafId,
    };
  }

  /* ---------------------------------------------------------- generations */

  /**
   * A session that is not listed in the chat (a compare column, an arena side), optionally seeded with earlier turns. Its title
   * stays as given: no auto-title call upstream.
   */
  async createColumnSession(
    user: AuthUser,
    input: {
      kind: 'compare' | 'arena';
      title: string;
      modelConfigId: string;
      systemPrompt: string | null;
      history: ChatMessage[];
    },
  ): Promise<ChatSessionEntity> {
    const row = await this.chat.createSession({
      ownerId: user.id,
      kind: input.kind,
      title: input.title,
      titleIsAuto: false,
      modelConfigId: input.modelConfigId,
      systemPrompt: input.systemPrompt,
    });
    if (input.history.length === 0) return row;
    await this.chat.appendMessages(
      row.id,
      input.history.map((m) => ({
        sessionId: row.id,
        parentId: null,
        role: m.role,
        content: m.content,
        status: 'complete' as const,
      })),
      input.history.length - 1,
    );
    return (await this.chat.findSession(row.id)) ?? row;
  }

  /**
   * `extraSlots` raises the per-user limit of concurrent generations (a compare run streams every column).
   * Everything between the user's Enter and the upstream request is on the time to first token: the session, its
   * branch and its model come in one statement while a generation slot is claimed, and the insert overlaps the
   * upstream call.
   */
  async sendMessage(user: AuthUser, sessionId: string, input: SendMessageInput): Promise<StartedGeneration> {
    return this.sendTo(user, sessionId, input, 'chat', 0);
  }

  /** `kind`: the chat's routes reach chat sessions only; compare columns and arena sides are sent to by their own. */
  private async sendTo(
    user: AuthUser,
    sessionId: string,
    input: SendMessageInput,
    kind: 'chat' | 'column',
    extraSlots: number,
  ): Promise<StartedGeneration> {
    return this.withSlot(user, extraSlots, async (generationId, slot) => {
      const chosen = input.modelConfigId ? this.modelConfigs.openForUse(user, input.modelConfigId) : null;
      chosen?.catch(() => undefined);
      // Checked in order: session, model, branch, slot.
      const turn = await this.chat.openTurn(sessionId, input.parentId);
      if (!turn || turn.session.ownerId !== user.id || (kind === 'chat') !== (turn.session.kind === 'chat')) {
        throw chatError(ChatErrorCode.SessionNotFound, 'Session not found');
      }
      const { session, path } = turn;
      const usable = chosen
        ? await chosen
        : turn.config
          ? await sessionModel(() => this.modelConfigs.usableFor(user, turn.config!))
          : await this.resolveModel(user, session);
      // Without an explicit parent the branch ends at the session's current leaf, read in the same statement.
      const parentId: string | null = input.parentId === undefined ? (path.at(-1)?.id ?? null) : input.parentId;
      if (parentId && path.at(-1)?.sessionId !== session.id) {
        throw chatError(ChatErrorCode.InvalidParent, 'The message to continue from is not part of this session', [
          { path: ['parentId'], message: 'is not a message of this session' },
        ]);
      }
      // A question continues an answer (or opens the conversation); under another question it would send two in a
      // row upstream. Editing a question is sending its new text under the same parent.
      if (input.parentId && path.at(-1)?.role === 'user') {
        throw chatError(ChatErrorCode.InvalidParent, 'A question continues an answer, not another question', [
          { path: ['parentId'], message: 'is a question: continue from an answer, or from its parent to edit it' },
        ]);
      }
      // The next question would go upstream without the answer still being written.
      if (path.at(-1)?.status === 'streaming') throw answerInProgress();
      await slot;
      const history = toHistory([...path, { role: 'user', content: input.content }]);
      const prompt = input.promptId
        ? await this.prompts.renderComplete(
            user,
            input.promptId,
            { version: input.promptVersion, label: input.promptLabel },
            input.variables ?? {},
            input.timeZone,
            input.content,
          )
        : null;
      const changes = {
        ...(input.modelConfigId &&
          input.modelConfigId !== session.modelConfigId && { modelConfigId: input.modelConfigId }),
        ...(prompt && {
          systemPrompt: prompt.text,
          promptId: prompt.promptId,
          promptVersion: prompt.version,
          promptName: prompt.name,
        }),
      };
      // Stored with the turn, or not at all if it is refused; the request is answered with them.
      Object.assign(session, changes);
      const started = await this.startGeneration(
        generationId,
        user,
        session,
        usable,
        history,
        [{ sessionId: session.id, parentId, role: 'user', content: input.content, status: 'complete' }],
        parentId,
        // Continuing the session's leaf: only if no other turn has moved it since it was read.
        input.parentId === undefined ? { leaf: session.currentLeafId } : undefined,
        changes,
      );
      // Counted once the turn is stored; the answer is on its way whatever the count does.
      if (prompt) {
        await this.prompts
          .recordUsage(user, prompt.promptId, prompt.version, 'chat')
          .catch((error: Error) =>
            this.logger.warn(`prompt usage of ${prompt.promptId} not recorded: ${error.message}`),
          );
      }
      return started;
    });
  }

  async regenerate(user: AuthUser, messageId: string, input: RegenerateInput): Promise<StartedGeneration> {
    const message = await this.chat.findMessage(messageId);
    const session = message ? await this.chat.findSession(message.sessionId) : null;
    if (!message || !session || session.ownerId !== user.id || session.kind !== 'chat') {
      throw chatError(ChatErrorCode.MessageNotFound, 'Message not found');
    }
    if (message.role !== 'assistant') {
      throw chatError(ChatErrorCode.NotAnAnswer, 'Only an answer can be regenerated; edit and resend a question');
    }
    if (!message.parentId) {
      // An imported answer can open a conversation: there is no question to send again.
      throw chatError(ChatErrorCode.NoQuestion, 'This answer has no question before it to answer again');
    }
    return this.withSlot(user, 0, async (generationId, slot) => {
      const [usable, history] = await Promise.all([
        input.modelConfigId
          ? this.modelConfigs.openForUse(user, input.modelConfigId)
          : sessionModel(() => this.resolveModel(user, session, message.modelConfigId ?? undefined)),
        this.historyTo(message.parentId),
        slot,
      ]);
      // A regeneration answers the same user message as the one it replaces: a sibling under the same parent.
      return this.startGeneration(generationId, user, session, usable, history, [], message.parentId);
    });
  }

  /** The generation's message, if the caller owns its session; 404 otherwise. */
  async generationMessage(user: AuthUser, generationId: string): Promise<ChatMessageEntity> {
    const message = await this.chat.findByGeneration(generationId);
    const session = message ? await this.chat.findSession(message.sessionId) : null;
    if (!message || !session || session.ownerId !== user.id) {
      throw chatError(ChatErrorCode.GenerationNotFound, 'Generation not found');
    }
    return message;
  }

  /** Stops the generation if it is still running; false when it had already ended. */
  async stopGeneration(user: AuthUser, generationId: string): Promise<boolean> {
    const message = await this.generationMessage(user, generationId);
    if (message.status !== 'streaming') return false;
    await this.generations.stop(generationId);
    return true;
  }

  /**
   * Claims one of the user's generation slots alongside `work` (which awaits `slot` with its own lookups) and
   * gives it back if `work` fails; a started generation gives it back when it ends.
   */
  private async withSlot<T>(
    user: AuthUser,
    extraSlots: number,
    work: (generationId: string, slot: Promise<void>) => Promise<T>,
  ): Promise<T> {
    const generationId = randomUUID();
    const slot = this.generations.claimSlot(user.id, generationId, extraSlots);
    slot.catch(() => undefined);
    try {
      return await work(generationId, slot);
    } catch (error) {
      // A refused claim took nothing; anything else gives the claimed slot back.
      if (
        await slot.then(
          () => true,
          () => false,
        )
      )
        await this.generations.releaseSlot(user.id, generationId);
      throw error;
    }
  }

  /**
   * Stores the turn and starts the upstream call at the same time: the message ids are chosen here, so the
   * generation can name them before the insert returns. Answers once the rows are stored (an insert error is the
   * request's error, and the generation is dropped unseen).
   */
  private async startGeneration(
    generationId: string,
    user: AuthUser,
    session: ChatSessionEntity,
    usable: UsableModelConfig,
    history: ChatMessage[],
    before: NewMessage[],
    parentId: string | null,
    expected?: { leaf: string | null },
    sessionChanges?: SessionChanges,
  ): Promise<StartedGeneration> {
    const systemPrompt = session.systemPrompt ?? usable.config.systemPrompt;
    const messages: ChatMessage[] = systemPrompt ? [{ role: 'system', content: systemPrompt }, ...history] : history;
    const ids = before.map(() => randomUUID());
    const assistantMessageId = randomUUID();
    const userMessageId = ids[0] ?? parentId;
    // The upstream request leaves first: undici writes it on the next turn of the event loop (it first lets a reused
    // socket report a close), and the insert is queued right behind it instead of in front of it.
    let releaseInsert!: () => void;
    const turnInsert = new Promise<void>((resolve) => {
      releaseInsert = resolve;
    });
    const inserting = turnInsert.then(() =>
      this.chat.appendMessages(
        session.id,
        [
          ...before.map((message, index) => ({ ...message, id: ids[index] })),
          {
            id: assistantMessageId,
            sessionId: session.id,
            parentId,
            role: 'assistant' as const,
            content: '',
            status: 'streaming' as const,
            model: usable.config.model,
            modelConfigId: usable.config.id,
            generationId,
            ownerInstance: this.generations.instanceId,
          },
        ],
        before.length,
        expected?.leaf,
        sessionChanges,
      ),
    );
    const firstAnswer = session.titleIsAuto && session.messageCount === 0;
    this.generations.start(
      {
        user,
        sessionId: session.id,
        usable,
        history: messages,
        userMessageId,
        assistantMessageId,
        persisted: inserting,
        onFinished: ({ status, content }) => {
          if (!firstAnswer) return;
          // A first answer that failed or was stopped still names the chat, after its question (no model call):
          // otherwise the list fills with identical "New chat" entries.
          const titling =
            status === 'complete' && content.trim()
              ? this.autoTitle(session.id, usable, history, content)
              : this.setAutoTitle(session.id, toTitle(lastQuestion(history)));
          void titling.catch((error: Error) =>
            this.logger.warn(`auto-title of session ${session.id} failed: ${error.message}`),
          );
        },
      },
      generationId,
    );
    setImmediate(releaseInsert);
    const rows = await inserting.catch((error: unknown) => {
      // The message continued from was deleted meanwhile (a clear, another tab).
      if ((error as { code?: string }).code === '23503') throw conversationChanged();
      throw error;
    });
    // Nothing stored: the session is gone, or another turn moved its leaf first. The generation drops unseen.
    if (!rows) throw await this.turnRefused(session.id, before.length > 0);
    const meta: GenerationMetaEvent = {
      generationId,
      sessionId: session.id,
      userMessageId,
      assistantMessageId,
      model: usable.config.model,
      modelConfigId: usable.config.id,
    };
    return { generationId, meta, assistantMessage: rows[rows.length - 1]! };
  }

  /** Why a turn's rows were not stored (`appendMessages` gave null): the error the request answers with. */
  private async turnRefused(sessionId: string, question: boolean): Promise<Error> {
    const session = await this.chat.findSession(sessionId);
    if (!session) {
      return question
        ? chatError(ChatErrorCode.SessionNotFound, 'Session not found')
        : chatError(ChatErrorCode.MessageNotFound, 'Message not found');
    }
    const leaf = session.currentLeafId ? await this.chat.findMessage(session.currentLeafId) : null;
    return leaf?.status === 'streaming' ? answerInProgress() : conversationChanged();
  }

  /** The conversation sent upstream: the branch ending at `leafId`, answers without their reasoning. */
  private async historyTo(leafId: string | null): Promise<ChatMessage[]> {
    return leafId ? toHistory(await this.chat.pathTo(leafId)) : [];
  }

  private async resolveModel(
    user: AuthUser,
    session: ChatSessionEntity,
    requested?: string,
  ): Promise<UsableModelConfig> {
    const id = requested ?? session.modelConfigId ?? (await this.modelConfigRows.defaultFor(user.id));
    if (!id) {
      throw chatError(ChatErrorCode.NoModelConfig, 'Choose a model for this chat first (Models → New model config)', [
        { path: ['modelConfigId'], message: 'is required: the session has no model and you have no default' },
      ]);
    }
    return this.modelConfigs.openForUse(user, id);
  }

  /** Names a new chat after its first exchange, with the session's own model, never from reasoning text. */
  private async autoTitle(
    sessionId: string,
    usable: UsableModelConfig,
    history: ChatMessage[],
    answer: string,
  ): Promise<void> {
    const question = lastQuestion(history);
    let generated = '';
    for await (const event of this.modelConfigs.streamChat(usable, {
      model: usable.config.model,
      messages: [
        { role: 'system', content: TITLE_INSTRUCTIONS },
        { role: 'user', content: `User: ${question.slice(0, 1500)}\n\nAssistant: ${answer.slice(0, 1500)}` },
      ],
      params: { ...usable.config.params, temperature: 0.3, maxTokens: Math.min(usable.config.params.maxTokens, 1024) },
      signal: AbortSignal.timeout(30_000),
    })) {
      if (event.type === 'content') generated += event.text;
      else if (event.type === 'reclassify') generated = event.content;
    }
    await this.setAutoTitle(sessionId, toTitle(generated) || toTitle(question));
  }

  /** Sets a generated title, unless the user has named the chat meanwhile. */
  private async setAutoTitle(sessionId: string, title: string): Promise<void> {
    if (!title) return;
    const session = await this.chat.findSession(sessionId);
    if (session?.titleIsAuto) await this.chat.updateSession(sessionId, { title });
  }

  /**
   * Sends one message to several sessions at once (compare columns, arena sides). They stream on top of whatever
   * the user has generating in chat, so they may take up to COMPARE_MAX_COLUMNS more slots. A column that cannot
   * start reports why; the others carry on.
   */
  async startColumns(
    user: AuthUser,
    columns: { column: number; sessionId: string; modelConfigId?: string | null }[],
    content: string,
  ): Promise<ColumnStart[]> {
    return Promise.all(
      columns.map(async (c): Promise<ColumnStart> => {
        try {
          const input = { content, ...(c.modelConfigId && { modelConfigId: c.modelConfigId }) };
          return {
            column: c.column,
            started: await this.sendTo(user, c.sessionId, input, 'column', COMPARE_MAX_COLUMNS),
          };
        } catch (error) {
          const e = error as { code?: string; message?: string };
          return {
            column: c.column,
            error: { code: e.code ?? 'GENERATION_FAILED', message: e.message ?? 'The answer could not start' },
          };
        }
      }),
    );
  }

  /** Stops every answer still generating in the session (from any API process); how many there were. */
  async stopSessionGenerations(sessionId: string): Promise<number> {
    const streaming = (await this.chat.listMessages(sessionId)).filter(
      (m) => m.status === 'streaming' && m.generationId,
    );
    for (const message of streaming) await this.generations.stop(message.generationId!);
    return streaming.length;
  }

  /* -------------------------------------------------------- export/import */

  async exportSession(
    user: AuthUser,
    sessionId: string,
    format: ExportFormat,
    timeZone?: string,
  ): Promise<{ filename: string; body: string; contentType: string }> {
    const session = await this.ownedSession(user, sessionId);
    return this.withinExportBudget([session.id], async () =>
      renderExport(await this.exportedSession(session, format), format, timeZone),
    );
  }

  /**
   * Exports are rendered in memory (a zip of many sessions too): a request may export at most EXPORT_MAX_BYTES of
   * text, and the larger ones wait for each other, so neither one user's imported archives nor many exports at
   * once can run the API out of memory (24 sessions of 20 MB in one zip did).
   */
  private async withinExportBudget<T>(sessionIds: string[], work: () => Promise<T>): Promise<T> {
    const bytes = await this.chat.textBytes(sessionIds);
    if (bytes > EXPORT_MAX_BYTES) {
      throw chatError(
        ChatErrorCode.ExportTooLarge,
        `These conversations hold ${Math.ceil(bytes / 1024 / 1024)} MB of text; one export holds at most ` +
          `${EXPORT_MAX_BYTES / 1024 / 1024} MB. Export fewer conversations at a time.`,
      );
    }
    if (bytes <= EXPORT_QUEUE_FROM_BYTES) return work();
    const turn = this.largeExports.then(work, work);
    this.largeExports = turn.catch(() => undefined);
    return turn;
  }

  /** JSON (made to be imported back) holds every branch; Markdown and text, made to be read, the one on show. */
  async exportedSession(session: ChatSessionEntity, format: ExportFormat): Promise<ExportedSession> {
    if (format === 'json') {
      const all = parentsFirst(
        await this.chat.listMessages(session.id),
        (m) => m.id,
        (m) => m.parentId,
      );
      // The foreign key keeps a session's messages a tree.
      if ('ordered' in all) return { session: toSession(session), messages: all.ordered.map(toMessage) };
    }
    const branch = session.currentLeafId ? await this.chat.pathTo(session.currentLeafId) : [];
    return { session: toSession(session), messages: branch.map(toMessage) };
  }

  /** Several sessions as one zip of files in `format`. */
  async exportSessions(user: AuthUser, ids: string[], format: ExportFormat, timeZone?: string): Promise<Uint8Array> {
    const sessions = await this.ownedSessions(user, ids);
    if (sessions.length === 0) throw chatError(ChatErrorCode.SessionNotFound, 'None of these sessions exist');
    return this.withinExportBudget(
      sessions.map((s) => s.id),
      async () => {
        const files: Record<string, Uint8Array> = {};
        for (const session of sessions) {
          const rendered = renderExport(await this.exportedSession(session, format), format, timeZone);
          let name = rendered.filename;
          for (let n = 2; Object.hasOwn(files, name); n++) name = rendered.filename.replace(/(\.\w+)$/, `_${n}$1`);
          files[name] = strToU8(rendered.body);
        }
        return zipSync(files);
      },
    );
  }

  /** Imports a JSON export as a new session: its every branch, the one on show, and what each answer recorded. */
  async importSession(user: AuthUser, exported: ImportSessionInput): Promise<Session> {
    const { messages, leafIndex } = importedMessages(exported);
    const session = await this.chat.createSession({
      ownerId: user.id,
      title: exported.session.title,
      titleIsAuto: false,
      modelConfigId: await this.modelConfigRows.defaultFor(user.id),
      systemPrompt: emptyToNull(exported.session.systemPrompt),
    });
    if (messages.length > 0) {
      try {
        await this.chat.importMessages(
          session.id,
          messages.map((m) => ({ ...m, sessionId: session.id })),
          messages[leafIndex]!.id,
        );
      } catch (error) {
        // A failed import leaves nothing behind: not an empty session named like the one being imported.
        await this.chat.deleteSessions(user.id, [session.id]).catch(() => undefined);
        throw error;
      }
    }
    return toSession(await this.ownedSession(user, session.id));
  }

  /** A chat session of the user's (compare columns and arena sides are reached through their runs only). */
  private async ownedSession(user: AuthUser, id: string): Promise<ChatSessionEntity> {
    const session = await this.chat.findSession(id);
    if (!session || session.ownerId !== user.id || session.kind !== 'chat') {
      throw chatError(ChatErrorCode.SessionNotFound, 'Session not found');
    }
    return session;
  }

  /** The user's chat sessions among `ids` (any letter case), each once. */
  private async ownedSessions(user: AuthUser, ids: string[]): Promise<ChatSessionEntity[]> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    return (await this.chat.findSessions(wanted)).filter((s) => s.ownerId === user.id && s.kind === 'chat');
  }
}

/**
 * Messages as sent upstream: user and assistant text of one branch, never reasoning, empty answers skipped. A
 * question whose answer failed or came back empty is joined to the next one: many chat templates (Mistral and
 * Gemma on vLLM, for two) refuse two user turns in a row.
 */
function toHistory(path: Pick<ChatMessageEntity, 'role' | 'content'>[]): ChatMessage[] {
  const history: ChatMessage[] = [];
  for (const m of path) {
    if ((m.role !== 'user' && m.role !== 'assistant') || m.content.trim() === '') continue;
    const previous = history[history.length - 1];
    if (previous?.role === m.role) previous.content = `${previous.content}\n\n${m.content}`;
    else history.push({ role: m.role, content: m.content });
  }
  return history;
}

const answerInProgress = () =>
  chatError(
    ChatErrorCode.AnswerInProgress,
    'The answer to continue from is still being generated; wait for it or stop it first',
    [{ path: ['parentId'], message: 'is an answer still generating' }],
  );

const conversationChanged = () =>
  chatError(
    ChatErrorCode.ConversationChanged,
    'The conversation changed while this was being sent (a message was deleted or another branch chosen); reload it and send again',
    [{ path: ['parentId'], message: 'is no longer where the conversation goes on' }],
  );

function emptyToNull(text: string | null | undefined): string | null {
  return text === undefined || text === null || text.trim() === '' ? null : text;
}

/** The text of the last user turn of a history (the question an answer was for). */
function lastQuestion(history: ChatMessage[]): string {
  return history.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

/**
 * An import's messages as rows to insert, parents first, with new ids; the leaf on show is the file's
 * `currentLeafId`, else its last message. Without ids the messages are one conversation in list order.
 */
function importedMessages(exported: ImportSessionInput): {
  messages: Omit<ImportedMessage, 'sessionId'>[];
  leafIndex: number;
} {
  const input = exported.messages;
  if (input.length === 0) return { messages: [], leafIndex: -1 };
  const withIds = input.filter((m) => m.id !== undefined).length;
  if (withIds !== 0 && withIds !== input.length) {
    const index = input.findIndex((m) => m.id === undefined);
    throw invalidImport(index, 'id', 'is missing (the other messages have ids)');
  }
  const keyed = input.map((m, index) => ({
    message: m,
    key: m.id ?? String(index),
    parentKey: m.id !== undefined ? (m.parentId ?? null) : index > 0 ? String(index - 1) : null,
  }));
  const tree = parentsFirst(
    keyed,
    (m) => m.key,
    (m) => m.parentKey,
  );
  if ('problem' in tree) {
    const { index, message } = tree.problem;
    throw invalidImport(index, message.startsWith('repeats') ? 'id' : 'parentId', message);
  }
  const newIds = new Map(keyed.map((m) => [m.key, randomUUID()]));
  type Untimed = Omit<ImportedMessage, 'sessionId' | 'createdAt'> & { createdAt: Date | null };
  const messages = tree.ordered.map(({ message: m, key, parentKey }): Untimed => ({
    id: newIds.get(key)!,
    parentId: parentKey === null ? null : newIds.get(parentKey)!,
    role: m.role,
    content: m.content,
    reasoning: m.reasoning ?? null,
    model: m.model ?? null,
    // Nothing is generating an answer that was streaming when it was exported.
    status: m.status === undefined ? 'complete' : m.status === 'streaming' ? 'interrupted' : m.status,
    usage: m.usage ?? null,
    reasoningMs: m.reasoningMs ?? null,
    ttftMs: m.ttftMs ?? null,
    totalMs: m.totalMs ?? null,
    finishReason: m.finishReason ?? null,
    error: m.error ?? null,
    createdAt: m.createdAt ? new Date(m.createdAt) : null,
  }));
  // Listed oldest first: each message after the one before it, at the file's time where it has one, else about now.
  // Nothing is dated after the import: a later date would list it after messages sent from now on.
  const now = Date.now() - messages.length;
  let previous = -Infinity;
  const timed = messages.map((message, index) => {
    const at = Math.max(Math.min(message.createdAt?.getTime() ?? Infinity, now + index), previous + 1);
    previous = at;
    return { ...message, createdAt: new Date(at) };
  });
  const leafKey = exported.session.currentLeafId;
  const leafId = (leafKey != null && newIds.get(leafKey)) || newIds.get(keyed[keyed.length - 1]!.key)!;
  return { messages: timed, leafIndex: timed.findIndex((m) => m.id === leafId) };
}

/**
 * The model a chat already uses (not one asked for in this request): when its config has gone out of the user's
 * sight (made private, its sharing withdrawn) the chat needs another model, which a 404 would not say.
 */
async function sessionModel(open: () => UsableModelConfig | Promise<UsableModelConfig>): Promise<UsableModelConfig> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof AppException && error.code === ModelConfigsErrorCode.ModelConfigNotFound) {
      throw chatError(
        ChatErrorCode.ModelUnavailable,
        "This chat's model is no longer available to you; choose another model",
        [{ path: ['modelConfigId'], message: 'is required: the chat’s model is no longer available' }],
      );
    }
    throw error;
  }
}

function invalidImport(index: number, field: string, message: string) {
  return chatError(ChatErrorCode.InvalidImport, `Message ${index + 1} of the file ${message}`, [
    { path: ['messages', index, field], message },
  ]);
}
