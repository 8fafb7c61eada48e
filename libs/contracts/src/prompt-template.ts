/**
 * The `{{variable}}` template language of the prompt library, shared by the API (detection on save, rendering for
 * chat and batch jobs) and the web app (chips and the live preview), so both always agree.
 *
 * - `{{name}}` or `{{ name }}`: a variable. A name starts with a letter or `_` and continues with letters, digits,
 *   `_`, `.` or `-` (any script, so `{{主题}}` works), at most 64 characters.
 * - `\{{` is a literal `{{` (the backslash is dropped); anything in braces that is not a valid name stays as text.
 * - Built-ins are filled by the platform: `current_date`, `current_time`, `user_name`, `user_input`.
 */

export const BUILTIN_VARIABLES = ['current_date', 'current_time', 'user_name', 'user_input'] as const;
export type BuiltinVariable = (typeof BUILTIN_VARIABLES)[number];

/** Names that look like built-ins; one of these that is not a built-in is almost certainly a typo. */
const BUILTIN_PREFIXES = ['current_', 'user_', 'sys_', 'system_'];

const VARIABLE_NAME = /^[\p{L}_][\p{L}\p{N}_.-]{0,63}$/u;
/**
 * `\{{`, or `{{…}}` with no brace inside (its name is trimmed afterwards). Linear: a failed `{{` reads only to the
 * next brace (`{{\s*(…*?)\s*}}` retried every split of a long run of spaces: 20,000 of them took ~1 s a prompt).
 */
const TOKEN = /\\\{\{|\{\{([^{}]*)\}\}/gu;

export const PROMPT_CONTENT_MAX = 20_000;
/**
 * A prompt with its values filled in, at most (it becomes a system prompt). Values repeat wherever their variable
 * does: without a bound, 4,000 uses of a 10,000-character value made 40 MB from a 10 kB request.
 */
export const PROMPT_RENDERED_MAX = 100_000;
export const PROMPT_CONTENT_WARN = 8_000;

export function isBuiltinVariable(name: string): name is BuiltinVariable {
  return (BUILTIN_VARIABLES as readonly string[]).includes(name);
}

export function isValidVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

type Piece = { text: string } | { variable: string; raw: string };

function tokenize(template: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of template.matchAll(TOKEN)) {
    const index = match.index;
    if (index > last) pieces.push({ text: template.slice(last, index) });
    const name = match[1]?.trim();
    if (name === undefined) pieces.push({ text: '{{' });
    else if (isValidVariableName(name)) pieces.push({ variable: name, raw: match[0] });
    else pieces.push({ text: match[0] });
    last = index + match[0].length;
  }
  if (last < template.length) pieces.push({ text: template.slice(last) });
  return pieces;
}

/** The distinct variables in order of first appearance, built-ins included. */
export function extractVariables(template: string): string[] {
  const seen = new Set<string>();
  for (const piece of tokenize(template)) if ('variable' in piece) seen.add(piece.variable);
  return [...seen];
}

export interface TemplateWarning {
  code: 'CONTENT_LONG' | 'UNKNOWN_BUILTIN';
  message: string;
  variable?: string;
}

/** What a save should point out without refusing it. */
export function templateWarnings(template: string): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  if (template.length > PROMPT_CONTENT_WARN) {
    warnings.push({
      code: 'CONTENT_LONG',
      message: `The content is ${template.length} characters long; above ${PROMPT_CONTENT_WARN} it may crowd out the conversation in smaller context windows`,
    });
  }
  for (const name of extractVariables(template)) {
    if (isBuiltinVariable(name)) continue;
    if (BUILTIN_PREFIXES.some((prefix) => name.toLowerCase().startsWith(prefix))) {
      warnings.push({
        code: 'UNKNOWN_BUILTIN',
        variable: name,
        message: `{{${name}}} looks like a built-in variable but is not one (built-ins: ${BUILTIN_VARIABLES.join(', ')}); it will be asked for like any other variable`,
      });
    }
  }
  return warnings;
}

export interface RenderResult {
  text: string;
  /** Variables that had neither a value nor a default; they stay in the text as `{{name}}`. */
  missing: string[];
  /** The text reached `maxLength` and was cut there (the rest was not rendered). */
  tooLong?: true;
}

/**
 * Fills the template. A value that is undefined or empty falls back to the default; with neither, the variable is
 * missing. Values are inserted verbatim (never re-scanned), so a value containing `{{x}}` stays as typed.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string | undefined>>,
  defaults: Readonly<Record<string, string | undefined>> = {},
  maxLength = Infinity,
): RenderResult {
  const missing: string[] = [];
  let text = '';
  for (const piece of tokenize(template)) {
    if ('text' in piece) text += piece.text;
    else {
      // Own keys only: `{{constructor}}` or `{{toString}}` must not find what every object inherits.
      const value = nonEmpty(own(values, piece.variable)) ?? nonEmpty(own(defaults, piece.variable));
      if (value === undefined) {
        if (!missing.includes(piece.variable)) missing.push(piece.variable);
        text += `{{${piece.variable}}}`;
      } else text += value;
    }
    if (text.length > maxLength) return { text: text.slice(0, maxLength), missing, tooLong: true };
  }
  return { text, missing };
}

function own(record: Readonly<Record<string, string | undefined>>, key: string): string | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** `current_date` (YYYY-MM-DD) and `current_time` (HH:mm) in the given IANA time zone (UTC when unknown). */
export function builtinDateValues(now: Date, timeZone = 'UTC'): Record<'current_date' | 'current_time', string> {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
  } catch {
    zone = 'UTC';
  }
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hour12: false });
  return { current_date: date.format(now), current_time: time.format(now) };
}
