import { Injectable } from '@nestjs/common';
import {
  type CompareAnswer,
  type CompareColumnHead,
  type CompareRun,
  type CompareRunQuery,
  type CompareRunSummary,
  type CompareTurn,
  type CreateCompareRunInput,
  generationRate,
  type Paginated,
  type RateCompareAnswerInput,
} from '@modelyard/contracts';
import type { ChatMessage } from '@modelyard/llm-clients';
import type { AuthUser } from '../../common/auth/auth.decorators';
import { paginated } from '../../common/pagination';
import type { ChatMessageEntity } from '../chat/chat-message.entity';
import { ChatRepository } from '../chat/chat.repository';
import { ChatService } from '../chat/chat.service';
import type { ColumnStart } from '../chat/column-stream';
import { ModelConfigsService } from '../model-configs/model-configs.service';
import { PromptsService } from '../prompts/prompts.service';
import { CompareErrorCode, compareError } from './compare.errors';
import { type CompareColumnRow, CompareRepository, type CompareRunRow } from './compare.repository';

export interface StartedCompare {
  runId: string;
  columns: CompareColumnHead[];
  starts: ColumnStart[];
}

const TITLE_MAX = 200;

/**
 * Side-by-side runs: every column is a hidden chat session, so each streams, stops, persists and re-attaches through
 * the chat generation machinery, and a follow-up continues each column's own conversation.
 */
@Injectable()
export class CompareService {
  constructor(
    private readonly runs: CompareRepository,
    private readonly chat: ChatService,
    private readonly chatRows: ChatRepository,
    private readonly modelConfigs: ModelConfigsService,
    private readonly prompts: PromptsService,
  ) {}

  async start(user: AuthUser, input: CreateCompareRunInput): Promise<StartedCompare> {
    // Every config must be usable before anything is created: a typo'd id fails the whole request, not a column.
    const usables = await Promise.all(input.modelConfigIds.map((id) => this.modelConfigs.openForUse(user, id)));
    const conversation: ChatMessage[] = input.messages
      ? input.messages.map((m) => ({ role: m.role, content: m.content }))
      : [{ role: 'user', content: input.prompt! }];
    const last = conversation.pop()!;
    let systemPrompt = input.systemPrompt?.trim() || null;
    const systemTurns = conversation.filter((m) => m.role === 'system');
    if (!systemPrompt && systemTurns.length > 0) systemPrompt = systemTurns.map((m) => m.content).join('\n\n');
    const history = conversation.filter((m) => m.role !== 'system');
    let promptUse: { promptId: string; version: number } | null = null;
    if (input.promptId) {
      const rendered = await this.prompts.renderComplete(
        user,
        input.promptId,
        {},
        input.variables ?? {},
        input.timeZone,
        last.content,
      );
      systemPrompt = rendered.text;
      promptUse = { promptId: rendered.promptId, version: rendered.version };
    }

    const title = oneLine(last.content).slice(0, TITLE_MAX);
    const columns: CompareColumnRow[] = [];
    for (const [column, usable] of usables.entries()) {
      const session = await this.chat.createColumnSession(user, {
        kind: 'compare',
        title,
        modelConfigId: usable.config.id,
        systemPrompt,
        history,
      });
      columns.push({
        column,
        modelConfigId: usable.config.id,
        name: usable.config.name,
        model: usable.config.model,
        inputPrice: usable.config.inputPricePerMTok,
        outputPrice: usable.config.outputPricePerMTok,
        sessionId: session.id,
      });
    }
    const runId = await this.runs.create({ ownerId: user.id, title, systemPrompt, columns });
    if (promptUse) await this.prompts.recordUsage(user, promptUse.promptId, promptUse.version, 'compare');
    return { runId, columns: columns.map(toHead), starts: await this.chat.startColumns(user, columns, last.content) };
  }

  /** A follow-up turn: every column continues its own conversation. */
  async followUp(user: AuthUser, runId: string, content: string): Promise<StartedCompare> {
    const run = await this.owned(user, runId);
    // All columns take the turn or none does: a column still answering would otherwise miss it.
    const answering = await Promise.all(
      run.columns.map(async (c) =>
        (await this.chatRows.listMessages(c.sessionId)).some((m) => m.status === 'streaming'),
      ),
    );
    const busy = run.columns.filter((_, index) => answering[index]).map((c) => c.column);
    if (busy.length > 0) {
      throw compareError(
        CompareErrorCode.AnswerInProgress,
        `Column ${busy.join(', ')} is still answering; wait for it or stop it first`,
        busy.map((column) => ({ path: ['columns', column], message: 'is still answering' })),
      );
    }
    await this.runs.touch(run.id);
    return {
      runId,
      columns: run.columns.map(toHead),
      starts: await this.chat.startColumns(user, run.columns, content),
    };
  }

  async list(user: AuthUser, query: CompareRunQuery): Promise<Paginated<CompareRunSummary>> {
    const [rows, total] = await this.runs.list(user.id, query);
    return paginated(rows.map(toSummary), total, query.page, query.pageSize);
  }

  async get(user: AuthUser, runId: string): Promise<CompareRun> {
    const run = await this.owned(user, runId);
    const [messages, ratings] = await Promise.all([
      Promise.all(run.columns.map((c) => this.chatRows.listMessages(c.sessionId))),
      this.runs.ratings(run.id),
    ]);
    const turns: CompareTurn[] = alignTurns(messages.map(toTurns)).map((byColumn) => {
      // A turn's parts are collected in time order: the first is its earliest question.
      const first = byColumn.values().next().value!;
      const answers = run.columns.map((c, column) => {
        const answer = byColumn.get(column)?.answer;
        return answer ? toAnswer(answer, c, ratings.get(answer.id) ?? null) : null;
      });
      return {
        prompt: first.prompt.content,
        createdAt: first.prompt.createdAt.toISOString(),
        answers,
        fastestColumn: fastest(answers),
      };
    });
    return { ...toSummary(run), turnCount: turns.length, turns };
  }

  /** Stops the run's answers still generating (one column's, or all); false when none was. */
  async stop(user: AuthUser, runId: string, column?: number): Promise<boolean> {
    const run = await this.owned(user, runId);
    const targets = column === undefined ? run.columns : run.columns.filter((c) => c.column === column);
    if (targets.length === 0) throw compareError(CompareErrorCode.ColumnNotFound, `This run has no column ${column}`);
    let stopped = 0;
    for (const c of targets) stopped += await this.chat.stopSessionGenerations(c.sessionId);
    return stopped > 0;
  }

  async rate(user: AuthUser, runId: string, input: RateCompareAnswerInput) {
    const run = await this.owned(user, runId);
    const column = run.columns.find((c) => c.column === input.column);
    if (!column) throw compareError(CompareErrorCode.ColumnNotFound, `This run has no column ${input.column}`);
    const answers = (await this.chatRows.listMessages(column.sessionId)).filter((m) => m.role === 'assistant');
    const answer = input.messageId ? answers.find((m) => m.id === input.messageId) : answers.at(-1);
    if (!answer) {
      throw compareError(CompareErrorCode.AnswerNotFound, 'That answer is not part of this column', [
        { path: ['messageId'], message: 'is not an answer of this column' },
      ]);
    }
    await this.runs.rate(run.id, answer.id, input.stars, input.note || null);
    return { column: input.column, messageId: answer.id, stars: input.stars, note: input.note || null };
  }

  async remove(user: AuthUser, runId: string): Promise<void> {
    const run = await this.owned(user, runId);
    await this.stop(user, run.id).catch(() => undefined);
    await this.runs.delete(run.id);
  }

  private async owned(user: AuthUser, runId: string): Promise<CompareRunRow> {
    const run = await this.runs.find(runId);
    if (!run || run.ownerId !== user.id) throw compareError(CompareErrorCode.RunNotFound, 'Compare run not found');
    return run;
  }
}

interface ColumnTurn {
  prompt: ChatMessageEntity;
  answer: ChatMessageEntity | null;
}

/** A column's conversation as turns: each user message with the latest answer to it. */
function toTurns(messages: ChatMessageEntity[]): ColumnTurn[] {
  const turns: ColumnTurn[] = [];
  const byUserMessage = new Map<string, ColumnTurn>();
  for (const m of messages) {
    if (m.role === 'user') {
      const turn = { prompt: m, answer: null };
      turns.push(turn);
      byUserMessage.set(m.id, turn);
    } else if (m.role === 'assistant' && m.parentId) {
      const turn = byUserMessage.get(m.parentId);
      if (turn) turn.answer = m;
    }
  }
  // Turns seeded from an imported conversation have answers already; only the compared ones matter.
  return turns.filter((t) => t.answer === null || t.answer.generationId !== null);
}

/**
 * The run's turns, each column's part of it by column. A turn's questions are stored in every column within a moment,
 * in question order; a column that could not take a turn (its model was withdrawn, say) has none, so the columns'
 * turns are matched by time and text, not by their position.
 */
function alignTurns(perColumn: ColumnTurn[][]): Map<number, ColumnTurn>[] {
  const all = perColumn
    .flatMap((turns, column) => turns.map((turn) => ({ column, turn })))
    .sort((a, b) => a.turn.prompt.createdAt.getTime() - b.turn.prompt.createdAt.getTime() || a.column - b.column);
  const aligned: Map<number, ColumnTurn>[] = [];
  for (const { column, turn } of all) {
    const open = aligned.at(-1);
    const sameTurn = open && !open.has(column) && [...open.values()][0]!.prompt.content === turn.prompt.content;
    if (sameTurn) open.set(column, turn);
    else aligned.push(new Map([[column, turn]]));
  }
  return aligned;
}

function toAnswer(
  m: ChatMessageEntity,
  column: CompareColumnRow,
  rating: { stars: number; note: string | null } | null,
): CompareAnswer {
  // The same rule as the chat's figures: no speed for an answer that came in one burst.
  const rate = m.ttftMs !== null ? generationRate(m.usage?.completionTokens ?? null, m.ttftMs, m.totalMs) : null;
  const tokensPerSecond = rate === null ? null : Math.round(rate * 10) / 10;
  const estimatedCost =
    m.usage && (column.inputPrice !== null || column.outputPrice !== null)
      ? ((column.inputPrice ?? 0) * m.usage.promptTokens + (column.outputPrice ?? 0) * m.usage.completionTokens) /
        1_000_000
      : null;
  return {
    messageId: m.id,
    generationId: m.generationId,
    content: m.content,
    reasoning: m.reasoning,
    status: m.status,
    error: m.error,
    usage: m.usage,
    ttftMs: m.ttftMs,
    totalMs: m.totalMs,
    reasoningMs: m.reasoningMs,
    tokensPerSecond,
    estimatedCost,
    rating,
  };
}

function fastest(answers: (CompareAnswer | null)[]): number | null {
  let best: number | null = null;
  answers.forEach((a, column) => {
    if (a?.status !== 'complete' || a.totalMs === null) return;
    if (best === null || a.totalMs < answers[best]!.totalMs!) best = column;
  });
  return best;
}

function toHead(c: CompareColumnRow): CompareColumnHead {
  return { column: c.column, modelConfigId: c.modelConfigId, name: c.name, model: c.model };
}

function toSummary(run: CompareRunRow): CompareRunSummary {
  return {
    id: run.id,
    title: run.title,
    systemPrompt: run.systemPrompt,
    columns: run.columns.map(toHead),
    turnCount: run.turnCount,
    createdAt: new Date(run.createdAt).toISOString(),
    updatedAt: new Date(run.updatedAt).toISOString(),
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
