import { isBuiltinVariable, renderTemplate, type Prompt } from '@modelyard/contracts';

/** The library prompt chosen for a conversation, sent with its next message (the server renders it then). */
export interface PendingPrompt {
  promptId: string;
  name: string;
  version: number;
  /** The values typed in the form; a variable left empty falls back to its default on the server. */
  variables: Record<string, string>;
}

/** What a picked prompt shows in the variables form: each variable's value, its default prefilled. */
export function initialVariableValues(
  prompt: Pick<Prompt, 'variables'>,
  previous: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return Object.fromEntries(prompt.variables.map((v) => [v.name, previous[v.name] ?? v.default ?? '']));
}

/** Variables (built-ins aside: the platform fills them) that have neither a value nor a default. */
export function missingVariables(
  prompt: Pick<Prompt, 'content' | 'variables'>,
  values: Readonly<Record<string, string>>,
): string[] {
  const defaults = Object.fromEntries(prompt.variables.map((v) => [v.name, v.default]));
  return renderTemplate(prompt.content, trimmed(values), defaults).missing.filter((name) => !isBuiltinVariable(name));
}

/** The prompt as the model will see it, built-ins still in braces: the platform fills them when the message is sent. */
export function previewPrompt(
  prompt: Pick<Prompt, 'content' | 'variables'>,
  values: Readonly<Record<string, string>>,
): string {
  const defaults = Object.fromEntries(prompt.variables.map((v) => [v.name, v.default]));
  return renderTemplate(prompt.content, trimmed(values), defaults).text;
}

/** Only the values the user gave: empty ones are left out so the server's default applies. */
function trimmed(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== ''));
}

export function toPendingPrompt(prompt: Prompt, values: Readonly<Record<string, string>>): PendingPrompt {
  return { promptId: prompt.id, name: prompt.name, version: prompt.version, variables: trimmed(values) };
}

/** The browser's IANA time zone, for `{{current_date}}` and `{{current_time}}`. */
export function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}
