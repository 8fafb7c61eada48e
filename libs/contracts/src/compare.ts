import { z } from 'zod';
import { MessageStatusSchema, UsageSchema } from './chat';
import { PaginationQuerySchema } from './common';

export const COMPARE_MIN_COLUMNS = 2;
export const COMPARE_MAX_COLUMNS = 6;

const ContentSchema = z.string().trim().min(1, 'is required').max(100_000, 'must be at most 100,000 characters');

const ConversationMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(100_000),
});

/**
 * One prompt (or a whole conversation ending with a user message) sent to 2–6 model configs at once. A library
 * prompt (`promptId` + `variables`) may serve as the system prompt, as in chat.
 */
export const CreateCompareRunSchema = z
  .object({
    prompt: ContentSchema.optional(),
    messages: z.array(ConversationMessageSchema).min(1).max(200).optional(),
    modelConfigIds: z
      .array(z.uuid())
      .min(COMPARE_MIN_COLUMNS, `choose at least ${COMPARE_MIN_COLUMNS} model configs`)
      .max(COMPARE_MAX_COLUMNS, `choose at most ${COMPARE_MAX_COLUMNS} model configs`),
    systemPrompt: z.string().max(20_000).optional(),
    promptId: z.uuid().optional(),
    variables: z.record(z.string(), z.string().max(10_000)).optional(),
    timeZone: z.string().max(64).optional(),
  })
  .refine((v) => (v.prompt === undefined) !== (v.messages === undefined), {
    message: 'give either prompt or messages',
    path: ['prompt'],
  })
  .refine((v) => v.messages === undefined || v.messages.at(-1)?.role === 'user', {
    message: 'the conversation must end with a user message',
    path: ['messages'],
  })
  .refine((v) => v.messages === undefined || (v.messages.at(-1)?.content.trim() ?? '') !== '', {
    message: 'the last user message is required',
    path: ['messages'],
  });
export type CreateCompareRunInput = z.infer<typeof CreateCompareRunSchema>;

/** A follow-up turn: every column continues its own conversation. */
export const CompareFollowUpSchema = z.object({ content: ContentSchema });
export type CompareFollowUpInput = z.infer<typeof CompareFollowUpSchema>;

export const CompareRunQuerySchema = PaginationQuerySchema.extend({
  search: z.string().trim().max(200).optional(),
  modelConfigId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});
export type CompareRunQuery = z.infer<typeof CompareRunQuerySchema>;

export const RateCompareAnswerSchema = z.object({
  column: z
    .number()
    .int()
    .min(0)
    .max(COMPARE_MAX_COLUMNS - 1),
  /** The answer rated; the column's latest answer when left out. */
  messageId: z.uuid().optional(),
  stars: z.number().int().min(1).max(5),
  note: z.string().trim().max(2000).optional(),
});
export type RateCompareAnswerInput = z.infer<typeof RateCompareAnswerSchema>;

export const COMPARE_EXPORT_FORMATS = ['md', 'json', 'csv'] as const;
export const CompareExportQuerySchema = z.object({ format: z.enum(COMPARE_EXPORT_FORMATS).default('md') });

export const CompareColumnHeadSchema = z.object({
  column: z.number().int(),
  modelConfigId: z.uuid().nullable(),
  name: z.string(),
  model: z.string(),
});
export type CompareColumnHead = z.infer<typeof CompareColumnHeadSchema>;

/** One answer of one column, with what it cost in time and tokens. */
export const CompareAnswerSchema = z.object({
  messageId: z.uuid(),
  generationId: z.uuid().nullable(),
  content: z.string(),
  reasoning: z.string().nullable(),
  status: MessageStatusSchema,
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  usage: UsageSchema.nullable(),
  ttftMs: z.number().int().nullable(),
  totalMs: z.number().int().nullable(),
  reasoningMs: z.number().int().nullable(),
  /** Completion tokens per second of generation time (after the first token). */
  tokensPerSecond: z.number().nullable(),
  /** In the currency of the model config's prices, when it has them. */
  estimatedCost: z.number().nullable(),
  rating: z.object({ stars: z.number().int(), note: z.string().nullable() }).nullable(),
});
export type CompareAnswer = z.infer<typeof CompareAnswerSchema>;

export const CompareTurnSchema = z.object({
  prompt: z.string(),
  createdAt: z.string(),
  /** Indexed by column. */
  answers: z.array(CompareAnswerSchema.nullable()),
  /** The column with the shortest total time among the complete answers. */
  fastestColumn: z.number().int().nullable(),
});
export type CompareTurn = z.infer<typeof CompareTurnSchema>;

export const CompareRunSummarySchema = z.object({
  id: z.uuid(),
  title: z.string(),
  systemPrompt: z.string().nullable(),
  columns: z.array(CompareColumnHeadSchema),
  turnCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CompareRunSummary = z.infer<typeof CompareRunSummarySchema>;

export const CompareRunSchema = CompareRunSummarySchema.extend({ turns: z.array(CompareTurnSchema) });
export type CompareRun = z.infer<typeof CompareRunSchema>;

export const CompareRunPageSchema = z.object({
  items: z.array(CompareRunSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** The first event of a compare stream. */
export interface CompareMetaEvent {
  runId: string;
  columns: CompareColumnHead[];
}

/* ------------------------------------------------------------ batch compare */

export const BATCH_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
/** Statuses after which a batch never changes again: its report is final. */
export const BATCH_FINISHED_STATUSES: readonly BatchStatus[] = ['completed', 'failed', 'cancelled'];
export const isBatchFinished = (status: BatchStatus): boolean => BATCH_FINISHED_STATUSES.includes(status);
export const BATCH_MAX_CONCURRENCY = 32;
export const BATCH_MAX_QUESTIONS = 5000;
export const BATCH_REPORT_FORMATS = ['xlsx', 'csv', 'md', 'json'] as const;
export type BatchReportFormat = (typeof BATCH_REPORT_FORMATS)[number];

/** The non-file fields of `POST /api/compare/batches` (multipart). */
export const CreateBatchFieldsSchema = z.object({
  modelConfigIds: z
    .array(z.uuid())
    .min(1, 'choose at least one model config')
    .max(COMPARE_MAX_COLUMNS, `choose at most ${COMPARE_MAX_COLUMNS} model configs`),
  concurrency: z.coerce.number().int().min(1).max(BATCH_MAX_CONCURRENCY).default(4),
  name: z.string().trim().max(200).optional(),
});
export type CreateBatchFields = z.infer<typeof CreateBatchFieldsSchema>;

export const BatchQuerySchema = PaginationQuerySchema.extend({ status: z.enum(BATCH_STATUSES).optional() });
export const BatchReportQuerySchema = z.object({ format: z.enum(BATCH_REPORT_FORMATS).default('json') });

export const BatchModelProgressSchema = z.object({
  column: z.number().int(),
  modelConfigId: z.uuid().nullable(),
  name: z.string(),
  done: z.number().int(),
  errors: z.number().int(),
  /** Set while the model is held back by an upstream 429, until this time. */
  pausedUntil: z.string().nullable(),
});

export const BatchSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  filename: z.string(),
  status: z.enum(BATCH_STATUSES),
  /** Cells (question × model) finished, successfully or not, and their total. */
  done: z.number().int(),
  total: z.number().int(),
  questions: z.number().int(),
  concurrency: z.number().int(),
  hasExpected: z.boolean(),
  /** Cancel was asked for: a running batch lets its cells in flight end, then turns `cancelled`. */
  cancelRequested: z.boolean(),
  models: z.array(BatchModelProgressSchema),
  etaSeconds: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Batch = z.infer<typeof BatchSchema>;

export const BatchPageSchema = z.object({
  items: z.array(BatchSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export interface BatchModelStats {
  column: number;
  modelConfigId: string | null;
  name: string;
  model: string;
  answered: number;
  errors: number;
  latencyMs: { mean: number | null; p50: number | null; p95: number | null; min: number | null; max: number | null };
  promptTokens: number;
  completionTokens: number;
  estimatedCost: number | null;
  /** Means over answered questions that have an expected answer. */
  bleu: number | null;
  rougeL: number | null;
}

export interface BatchReportCell {
  status: 'complete' | 'error';
  answer: string;
  latencyMs: number | null;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  bleu: number | null;
  rougeL: number | null;
  error: string | null;
  attempts: number;
}

export interface BatchReport {
  batch: Batch;
  models: BatchModelStats[];
  rows: { index: number; question: string; expected: string | null; cells: (BatchReportCell | null)[] }[];
}
