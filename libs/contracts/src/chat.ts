import { PROMPT_RENDERED_MAX } from './prompt-template';
import { z } from 'zod';
import { MAX_PAGE_SIZE, PaginationQuerySchema, QueryBooleanSchema } from './common';
import { oneWayToPin, PROMPT_VERSION_MAX } from './prompts';

export const MESSAGE_STATUSES = ['streaming', 'complete', 'stopped', 'error', 'interrupted'] as const;
export const MessageStatusSchema = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

export const CHAT_ROLES = ['system', 'user', 'assistant'] as const;
export type ChatMessageRole = (typeof CHAT_ROLES)[number];

export const DEFAULT_SESSION_TITLE = 'New chat';

const TitleSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200, 'must be at most 200 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const CreateSessionSchema = z.object({
  title: TitleSchema.optional(),
  modelConfigId: z.uuid().nullable().optional(),
  systemPrompt: z.string().max(20_000).nullable().optional(),
});
export type CreateSessionInput = z.infer<typeof CreateSessionSchema>;

export const UpdateSessionSchema = z
  .object({
    title: TitleSchema.optional(),
    modelConfigId: z.uuid().nullable().optional(),
    systemPrompt: z.string().max(20_000).nullable().optional(),
    pinned: z.boolean().optional(),
    archived: z.boolean().optional(),
    /** Switches the visible branch: the leaf message whose path is shown and continued. */
    currentLeafId: z.uuid().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'give at least one field to change' });
export type UpdateSessionInput = z.infer<typeof UpdateSessionSchema>;

export const SessionQuerySchema = PaginationQuerySchema.extend({
  search: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('matches titles and message text; an answer still streaming is searched once it has ended'),
  archived: QueryBooleanSchema.optional(),
});
export type SessionQuery = z.infer<typeof SessionQuerySchema>;

export const BatchDeleteSessionsSchema = z.object({ ids: z.array(z.uuid()).min(1).max(100) });

export const SessionSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  modelConfigId: z.uuid().nullable(),
  systemPrompt: z.string().nullable(),
  /** The library prompt the system prompt was rendered from, if any. */
  prompt: z.object({ id: z.uuid(), name: z.string(), version: z.number().int() }).nullable(),
  pinned: z.boolean(),
  archived: z.boolean(),
  currentLeafId: z.uuid().nullable(),
  messageCount: z.number().int(),
  lastActivityAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When listed by a search: a short excerpt of the matching message text. */
  snippet: z.string().optional(),
});
export type Session = z.infer<typeof SessionSchema>;

export const SessionPageSchema = z.object({
  items: z.array(SessionSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** `estimated`: counted here (a model that reported none, an answer cut short), not reported by the model. */
export const UsageSchema = z.object({
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  estimated: z.literal(true).optional(),
});
export type Usage = z.infer<typeof UsageSchema>;

export const MessageSchema = z.object({
  id: z.uuid(),
  sessionId: z.uuid(),
  parentId: z.uuid().nullable(),
  role: z.enum(CHAT_ROLES),
  content: z.string(),
  reasoning: z.string().optional(),
  reasoningMs: z.number().int().optional(),
  model: z.string().optional(),
  modelConfigId: z.uuid().nullable().optional(),
  status: MessageStatusSchema,
  usage: UsageSchema.optional(),
  ttftMs: z.number().int().optional(),
  totalMs: z.number().int().optional(),
  /** Why the model stopped, as the provider said: `length` means it reached the token limit (the answer is cut). */
  finishReason: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** The generation that produced (or is producing) this assistant message. */
  generationId: z.uuid().optional(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof MessageSchema>;

/** A session's messages, oldest first, a page at a time: 100 (the most) unless asked for fewer. */
export const MessageListQuerySchema = PaginationQuerySchema.extend({
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
});
export type MessageListQuery = z.infer<typeof MessageListQuerySchema>;

export const MessageListSchema = z.object({
  items: z.array(MessageSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** The last message of the branch on show (the whole session's, whichever page this is). */
  currentLeafId: z.uuid().nullable(),
});
export type MessageList = z.infer<typeof MessageListSchema>;

/**
 * Below these, a rate says nothing: an answer that arrives in one burst (a provider that buffers, a cache) has a
 * generation window of a few milliseconds, and "48 tokens in 1 ms" reads as 48,000 tokens/s. A fast model that
 * really streams (40 tokens over 130 ms) keeps its speed: compare is there to show it.
 */
const MIN_RATE_WINDOW_MS = 50;
const MIN_RATE_TOKENS = 2;

/** Tokens per second while the answer was generated (after its first token); null when too short to say. */
export function generationRate(
  completionTokens: number | null,
  ttftMs: number | null,
  totalMs: number | null,
): number | null {
  const generating = totalMs !== null ? totalMs - (ttftMs ?? 0) : null;
  if (completionTokens === null || completionTokens < MIN_RATE_TOKENS) return null;
  if (generating === null || generating < MIN_RATE_WINDOW_MS) return null;
  return completionTokens / (generating / 1000);
}

/** The longest message a user can send, in characters. */
export const MAX_MESSAGE_LENGTH = 100_000;

export const SendMessageSchema = z
  .object({
    content: z.string().trim().min(1, 'is required').max(MAX_MESSAGE_LENGTH, 'must be at most 100,000 characters'),
    modelConfigId: z.uuid().optional(),
    /** The message this one answers or follows; defaults to the end of the current branch. `null` starts a new root. */
    parentId: z.uuid().nullable().optional(),
    /**
     * A library prompt to use as the session's system prompt from this message on, rendered with `variables`
     * (`{{user_input}}` is this message). Pin a `promptVersion` or `promptLabel`; the latest version otherwise.
     */
    promptId: z.uuid().optional(),
    promptVersion: z.number().int().min(1).max(PROMPT_VERSION_MAX).optional(),
    promptLabel: z.string().trim().min(1).max(32).optional(),
    variables: z.record(z.string(), z.string().max(10_000)).optional(),
    /** IANA zone for `{{current_date}}`/`{{current_time}}` in the prompt. */
    timeZone: z.string().max(64).optional(),
  })
  .refine((body) => oneWayToPin({ version: body.promptVersion, label: body.promptLabel }), {
    message: 'give promptVersion or promptLabel, not both',
    path: ['promptLabel'],
  });
export type SendMessageInput = z.infer<typeof SendMessageSchema>;

export const RegenerateSchema = z.object({ modelConfigId: z.uuid().optional() });
export type RegenerateInput = z.infer<typeof RegenerateSchema>;

export const EXPORT_FORMATS = ['md', 'json', 'txt'] as const;
/** `timeZone` (IANA, the browser's): the date in the file name is the user's day, not the server's. */
export const ExportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS).default('md'),
  timeZone: z.string().max(64).optional(),
});
export type ExportFormat = z.infer<typeof ExportQuerySchema>['format'];

/* --------------------------------------------------------------- SSE events */

export interface GenerationMetaEvent {
  generationId: string;
  sessionId: string;
  userMessageId: string | null;
  assistantMessageId: string;
  model: string;
  modelConfigId: string | null;
}
export interface GenerationDoneEvent {
  status: MessageStatus;
  ttftMs: number | null;
  totalMs: number;
  reasoningMs: number | null;
  /** Why the model stopped (`stop`, `length` at the token limit…); absent when it did not say or was stopped. */
  finishReason?: string;
}

/** Finish reasons that mean the answer was cut at the token limit (OpenAI/Ollama `length`, Anthropic `max_tokens`). */
export const isTokenLimitFinish = (reason: string | null | undefined): boolean =>
  reason === 'length' || reason === 'max_tokens';
/** The provider's content filter ended the answer (OpenAI `content_filter`, Anthropic `refusal`, Zhipu `sensitive`). */
export const isContentFilterFinish = (reason: string | null | undefined): boolean => reason === 'content_filter';
export interface GenerationErrorEvent {
  code: string;
  message: string;
}

export type GenerationEvent =
  | { event: 'meta'; data: GenerationMetaEvent }
  /**
   * `ttftMs` (the server's time to first token) rides on the first text of either kind, and `reasoningMs` on the first
   * answer text after a thinking (and on a `reclassify` that ends one): a client shows the server's own figures while
   * the answer streams, and one that replays the stream after a reload learns them without waiting for `done`.
   */
  | { event: 'reasoning'; data: { text: string; ttftMs?: number } }
  | { event: 'content'; data: { text: string; reasoningMs?: number; ttftMs?: number } }
  | { event: 'reclassify'; data: { reasoning: string; content: string; reasoningMs?: number } }
  | { event: 'usage'; data: Usage }
  | { event: 'done'; data: GenerationDoneEvent }
  | { event: 'error'; data: GenerationErrorEvent };
export type GenerationEventName = GenerationEvent['event'];

const ImportedDurationSchema = z.number().int().min(0).max(2_147_483_647).nullable().optional();
const ImportedIdSchema = z.string().min(1).max(100);

/**
 * A JSON export (`GET /api/chat/sessions/:id/export?format=json`) imported back as a new session. An export holds
 * every branch: messages name their `id` and `parentId` (any strings; new ids are given on import) and the session its
 * `currentLeafId`. Messages without ids (hand-written files) are one conversation in list order. What an answer
 * recorded (status, usage, timings, error) comes back as it was; an answer exported while streaming is `interrupted`.
 */
export const ImportSessionSchema = z.object({
  format: z.literal('modelyard.chat'),
  version: z.literal(1),
  session: z.object({
    title: TitleSchema,
    systemPrompt: z.string().max(PROMPT_RENDERED_MAX).nullable().optional(),
    currentLeafId: ImportedIdSchema.nullable().optional(),
  }),
  messages: z
    .array(
      z.object({
        id: ImportedIdSchema.optional(),
        parentId: ImportedIdSchema.nullable().optional(),
        role: z.enum(CHAT_ROLES),
        content: z.string().max(200_000),
        reasoning: z.string().max(200_000).optional(),
        model: z.string().max(200).optional(),
        status: MessageStatusSchema.optional(),
        usage: z
          .object({
            promptTokens: z.number().int().min(0).max(2_147_483_647),
            completionTokens: z.number().int().min(0).max(2_147_483_647),
            estimated: z.literal(true).optional(),
          })
          .nullable()
          .optional(),
        reasoningMs: ImportedDurationSchema,
        ttftMs: ImportedDurationSchema,
        totalMs: ImportedDurationSchema,
        finishReason: z.string().max(100).nullable().optional(),
        error: z
          .object({ code: z.string().max(100), message: z.string().max(2000) })
          .nullable()
          .optional(),
        createdAt: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .max(5000),
});
export type ImportSessionInput = z.infer<typeof ImportSessionSchema>;

export const ExportSessionsSchema = z.object({
  ids: z.array(z.uuid()).min(1).max(100),
  format: z.enum(EXPORT_FORMATS).default('md'),
  timeZone: z.string().max(64).optional(),
});
