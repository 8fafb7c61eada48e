import {
  extractVariables,
  isBuiltinVariable,
  type Prompt,
  type PromptVariable,
  type PromptVisibility,
  PROMPT_RENDERED_MAX,
  renderTemplate,
  type UpdatePromptInput,
} from '@modelyard/contracts';
import type { NewPromptInput } from '@/api/prompts';

/** What the user describes about one of their variables; empty strings mean "not given". */
export interface VariableMeta {
  description: string;
  default: string;
}

export interface PromptFormModel {
  name: string;
  description: string;
  category: string;
  tags: string[];
  content: string;
  /** Kept per name even while a variable is briefly gone from the content, so typing over it loses nothing. */
  variables: Record<string, VariableMeta>;
  visibility: PromptVisibility;
  teamId: string | null;
  official: boolean;
}

export const emptyPromptForm = (): PromptFormModel => ({
  name: '',
  description: '',
  category: 'other',
  tags: [],
  content: '',
  variables: {},
  visibility: 'private',
  teamId: null,
  official: false,
});

export function promptToForm(prompt: Prompt): PromptFormModel {
  return {
    name: prompt.name,
    description: prompt.description,
    category: prompt.category,
    tags: [...prompt.tags],
    content: prompt.content,
    variables: Object.fromEntries(
      prompt.variables.map((v) => [v.name, { description: v.description ?? '', default: v.default ?? '' }]),
    ),
    visibility: prompt.visibility,
    teamId: prompt.teamId,
    official: prompt.official,
  };
}

/** The variables in the content: the ones the user fills in, and the built-ins the platform fills. */
export function splitVariables(content: string): { user: string[]; builtins: string[] } {
  const all = extractVariables(content);
  return { user: all.filter((n) => !isBuiltinVariable(n)), builtins: all.filter((n) => isBuiltinVariable(n)) };
}

/** The `variables` to send: every user variable in the content, with what was said about it. */
export function variablesPayload(form: Pick<PromptFormModel, 'content' | 'variables'>): PromptVariable[] {
  return splitVariables(form.content).user.map((name) => {
    const meta = form.variables[name];
    const out: PromptVariable = { name };
    if (meta?.description.trim()) out.description = meta.description.trim();
    if (meta?.default) out.default = meta.default;
    return out;
  });
}

/** Variables with a description or default, in a canonical order, to tell whether they changed. */
function describedVariables(variables: PromptVariable[]): string {
  return JSON.stringify(
    variables
      .filter((v) => v.description || v.default)
      .map((v) => [v.name, v.description ?? '', v.default ?? ''])
      .sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
  );
}

export function createPayload(form: PromptFormModel): NewPromptInput {
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    category: form.category.trim().toLowerCase() || 'other',
    tags: [...new Set(form.tags.map((t) => t.trim()).filter(Boolean))],
    content: form.content,
    variables: variablesPayload(form),
    visibility: form.visibility,
    teamId: form.visibility === 'team' ? form.teamId : null,
    ...(form.official && { official: true }),
  };
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The PATCH for what changed since `original` (sharing is saved by its own dialog); null when nothing did. A change
 * note travels only with a change that makes a new version (content or variables).
 */
export function updatePayload(original: Prompt, form: PromptFormModel, changeNote = ''): UpdatePromptInput | null {
  const next = createPayload(form);
  const patch: UpdatePromptInput = {};
  if (next.name !== original.name) patch.name = next.name;
  if (next.description !== original.description) patch.description = next.description;
  if (next.category !== original.category) patch.category = next.category;
  if (!sameList(next.tags ?? [], original.tags)) patch.tags = next.tags;
  if (next.content !== original.content) patch.content = next.content;
  if (describedVariables(next.variables ?? []) !== describedVariables(original.variables)) {
    patch.variables = next.variables;
  }
  if (Object.keys(patch).length === 0) return null;
  if ((patch.content !== undefined || patch.variables !== undefined) && changeNote.trim()) {
    patch.changeNote = changeNote.trim();
  }
  return patch;
}

/** Whether saving would make a new version (so a change note is worth asking for). */
export const makesNewVersion = (original: Prompt | null, form: PromptFormModel) => {
  if (!original) return false;
  const patch = updatePayload(original, form);
  return !!patch && (patch.content !== undefined || patch.variables !== undefined);
};

/** Whether the form differs from what is saved (for a new prompt: whether anything was typed). */
export function isFormDirty(original: Prompt | null, form: PromptFormModel): boolean {
  if (original) return updatePayload(original, form) !== null;
  return (
    form.name.trim() !== '' || form.content.trim() !== '' || form.description.trim() !== '' || form.tags.length > 0
  );
}

export type RenderSegment = { text: string } | { missing: string };

// A value no one types: marks where a missing variable stays in the rendered text.
const MARK = '\u0000';

/**
 * Renders like the server (renderTemplate) and says where each still-missing variable sits, so the preview can
 * highlight it rather than leave a `{{name}}` that looks like text.
 */
export function renderWithMarks(
  template: string,
  values: Readonly<Record<string, string | undefined>>,
  defaults: Readonly<Record<string, string | undefined>> = {},
): { text: string; missing: string[]; segments: RenderSegment[] } {
  const clean = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v?.replaceAll(MARK, '')]));
  // Bounded as on the server (which refuses more): the preview never builds a huge string from repeated values.
  const { text, missing } = renderTemplate(template, clean, defaults, PROMPT_RENDERED_MAX);
  if (missing.length === 0) return { text, missing, segments: text ? [{ text }] : [] };
  const marked = renderTemplate(
    template,
    {
      ...clean,
      ...Object.fromEntries(missing.map((name, i) => [name, `${MARK}${i}${MARK}`])),
    },
    defaults,
    PROMPT_RENDERED_MAX,
  ).text;
  const segments: RenderSegment[] = [];
  marked.split(MARK).forEach((part, i) => {
    if (i % 2 === 1) segments.push({ missing: missing[Number(part)]! });
    else if (part) segments.push({ text: part });
  });
  return { text, missing, segments };
}

/** A short, stable fingerprint of a text (render-cache keys of the live Markdown preview). */
export function textHash(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
  return `${(h >>> 0).toString(36)}-${text.length}`;
}
