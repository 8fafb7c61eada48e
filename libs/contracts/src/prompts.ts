import { z } from 'zod';
import { PaginationQuerySchema, QueryBooleanSchema } from './common';
import { PROMPT_CONTENT_MAX, isValidVariableName } from './prompt-template';

export const BUILTIN_PROMPT_CATEGORIES = [
  'role-play',
  'coding',
  'copywriting',
  'data-analysis',
  'translation',
  'knowledge-qa',
  'tutoring',
  'other',
] as const;

export const PROMPT_VISIBILITIES = ['private', 'team', 'public'] as const;
export const PromptVisibilitySchema = z.enum(PROMPT_VISIBILITIES);
export type PromptVisibility = z.infer<typeof PromptVisibilitySchema>;

export const PROMPT_SORTS = ['recent', 'name', 'usage'] as const;

const PromptNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters')
  .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

/** A built-in category or a custom one: lower-case words joined by hyphens, any script. */
export const PromptCategorySchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(32, 'must be at most 32 characters')
  .regex(/^[\p{L}\p{N}]+(?:[-_ ][\p{L}\p{N}]+)*$/u, 'must be words separated by hyphens');

const TagSchema = z
  .string()
  .trim()
  .min(1)
  .max(32, 'must be at most 32 characters')
  .regex(/^[^\p{Cc},]*$/u, 'must not contain commas or control characters');

export const PromptContentSchema = z
  .string()
  .min(1, 'is required')
  .max(PROMPT_CONTENT_MAX, `must be at most ${PROMPT_CONTENT_MAX.toLocaleString('en')} characters`)
  .refine((s) => s.trim().length > 0, 'is required');

export const PromptVariableSchema = z.object({
  name: z.string().refine(isValidVariableName, 'is not a valid variable name'),
  description: z.string().trim().max(200).optional(),
  default: z.string().max(2000).optional(),
});
export type PromptVariable = z.infer<typeof PromptVariableSchema>;

const PromptFieldsSchema = z.object({
  name: PromptNameSchema,
  content: PromptContentSchema,
  description: z.string().trim().max(1000).default(''),
  category: PromptCategorySchema.default('other'),
  tags: z
    .array(TagSchema)
    .max(20, 'at most 20 tags')
    .default([])
    .transform((tags) => [...new Set(tags)]),
  visibility: PromptVisibilitySchema.default('private'),
  teamId: z.uuid().nullable().optional(),
  /** Descriptions and defaults of variables; variables themselves are detected from the content on every save. */
  variables: z.array(PromptVariableSchema).max(100).default([]),
  /** Admins only: shown to everyone as a read-only system prompt. */
  official: z.boolean().optional(),
});

/** A team prompt without its team is refused by the service (400 `PROMPT_TEAM_REQUIRED`, as on update). */
export const CreatePromptSchema = PromptFieldsSchema.extend({
  changeNote: z.string().trim().max(500).optional(),
});
export type CreatePromptInput = z.infer<typeof CreatePromptSchema>;

export const UpdatePromptSchema = z
  .object({
    name: PromptNameSchema.optional(),
    content: PromptContentSchema.optional(),
    description: z.string().trim().max(1000).optional(),
    category: PromptCategorySchema.optional(),
    tags: z
      .array(TagSchema)
      .max(20, 'at most 20 tags')
      .transform((tags) => [...new Set(tags)])
      .optional(),
    visibility: PromptVisibilitySchema.optional(),
    teamId: z.uuid().nullable().optional(),
    variables: z.array(PromptVariableSchema).max(100).optional(),
    official: z.boolean().optional(),
    /** Recorded with the new version when the content changes. */
    changeNote: z.string().trim().max(500).optional(),
  })
  .refine((v) => Object.entries(v).some(([key, x]) => key !== 'changeNote' && x !== undefined), {
    message: 'give at least one field to change',
  });
export type UpdatePromptInput = z.infer<typeof UpdatePromptSchema>;

export const PromptQuerySchema = PaginationQuerySchema.extend({
  search: z.string().trim().max(200).optional(),
  category: PromptCategorySchema.optional(),
  tag: TagSchema.optional(),
  visibility: PromptVisibilitySchema.optional(),
  teamId: z.uuid().optional(),
  favorite: QueryBooleanSchema.optional(),
  mine: QueryBooleanSchema.optional(),
  sort: z.enum(PROMPT_SORTS).default('recent'),
});
export type PromptQuery = z.infer<typeof PromptQuerySchema>;

export const PromptWarningSchema = z.object({
  code: z.enum(['CONTENT_LONG', 'UNKNOWN_BUILTIN']),
  message: z.string(),
  variable: z.string().optional(),
});

export const PromptSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  content: z.string(),
  description: z.string(),
  category: z.string(),
  tags: z.array(z.string()),
  visibility: PromptVisibilitySchema,
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  /** The variables a user fills in (built-ins excluded), in order of first appearance. */
  variables: z.array(PromptVariableSchema),
  /** Built-in variables the content uses; the platform fills them. */
  builtins: z.array(z.string()),
  warnings: z.array(PromptWarningSchema),
  version: z.number().int(),
  labels: z.record(z.string(), z.number().int()),
  usageCount: z.number().int(),
  lastUsedAt: z.string().nullable(),
  official: z.boolean(),
  isFavorite: z.boolean(),
  ownerId: z.uuid(),
  ownerName: z.string(),
  canEdit: z.boolean(),
  canDelete: z.boolean(),
  canShare: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Prompt = z.infer<typeof PromptSchema>;

export const PromptPageSchema = z.object({
  items: z.array(PromptSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const PromptVersionSummarySchema = z.object({
  version: z.number().int(),
  changeNote: z.string().nullable(),
  authorId: z.uuid().nullable(),
  authorName: z.string().nullable(),
  labels: z.array(z.string()),
  createdAt: z.string(),
});
export type PromptVersionSummary = z.infer<typeof PromptVersionSummarySchema>;

export const PromptVersionSchema = PromptVersionSummarySchema.extend({
  content: z.string(),
  variables: z.array(PromptVariableSchema),
});
export type PromptVersion = z.infer<typeof PromptVersionSchema>;

export const PromptVersionPageSchema = z.object({
  items: z.array(PromptVersionSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** The largest version number there can be (versions are stored as 32-bit integers). */
export const PROMPT_VERSION_MAX = 2_147_483_647;
const versionNumber = () => z.number().int().min(1).max(PROMPT_VERSION_MAX);

export const PromptDiffQuerySchema = z.object({
  from: z.coerce.number().int().min(1).max(PROMPT_VERSION_MAX),
  to: z.coerce.number().int().min(1).max(PROMPT_VERSION_MAX),
});
export const PromptDiffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  /** Line-level changes, in order; unchanged runs included so both sides can be laid out. */
  changes: z.array(z.object({ type: z.enum(['equal', 'added', 'removed']), value: z.string() })),
});
export type PromptDiff = z.infer<typeof PromptDiffSchema>;

/** Labels such as `production` name one version; consumers may pin a label instead of a number. */
export const PromptLabelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"')
  .refine((s) => s !== 'latest', '"latest" always means the newest version and cannot be set');
export const SetPromptLabelSchema = z.object({ version: versionNumber() });

/** Which version to use: a number, a label, or (neither) the latest. */
export const PromptPinSchema = z.object({
  version: versionNumber().optional(),
  label: z.string().trim().min(1).max(32).optional(),
});

/** A pin names a version or a label, not both (the one would silently win over the other). */
export const oneWayToPin = <T extends { version?: number; label?: string }>(pin: T): boolean =>
  pin.version === undefined || pin.label === undefined;

export const RenderPromptSchema = PromptPinSchema.extend({
  variables: z.record(z.string(), z.string().max(10_000)).default({}),
  /** IANA zone for `{{current_date}}` and `{{current_time}}`; UTC by default. */
  timeZone: z.string().max(64).optional(),
}).refine(oneWayToPin, { message: 'give version or label, not both', path: ['label'] });
export type RenderPromptInput = z.infer<typeof RenderPromptSchema>;

export const RenderedPromptSchema = z.object({
  text: z.string(),
  missing: z.array(z.string()),
  version: z.number().int(),
});
export type RenderedPrompt = z.infer<typeof RenderedPromptSchema>;

export const PromptCategoriesSchema = z.object({
  items: z.array(z.object({ id: z.string(), builtin: z.boolean(), count: z.number().int() })),
});
export const PromptTagsSchema = z.object({
  items: z.array(z.object({ tag: z.string(), count: z.number().int() })),
});

/* ------------------------------------------------------------ import/export */

export const PromptExportItemSchema = z.object({
  name: PromptNameSchema,
  content: PromptContentSchema,
  description: z.string().max(1000).default(''),
  category: PromptCategorySchema.default('other'),
  tags: z.array(TagSchema).max(20).default([]),
  variables: z.array(PromptVariableSchema).max(100).default([]),
});

export const PromptLibraryExportSchema = z.object({
  format: z.literal('modelyard.prompts'),
  version: z.literal(1),
  exportedAt: z.string().optional(),
  prompts: z.array(PromptExportItemSchema).min(1).max(1000),
});
export type PromptLibraryExport = z.infer<typeof PromptLibraryExportSchema>;

export const PromptExportQuerySchema = z.object({
  /** Comma-separated ids; without it, every prompt the caller owns. */
  ids: z
    .string()
    .max(4000)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.uuid()).max(100))
    .optional(),
});

export const PromptImportResultSchema = z.object({
  created: z.array(z.object({ id: z.uuid(), name: z.string() })),
  /** Imported under another name because the caller already had one with the same name. */
  renamed: z.array(z.object({ from: z.string(), to: z.string() })),
});
