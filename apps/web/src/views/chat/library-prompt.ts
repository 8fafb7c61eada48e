import { isBuiltinVariable, PROMPT_RENDERED_MAX, renderTemplate, type Prompt } from '@modelyard/contracts';
import { chatMemory } from './chat-memory';

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
  // Bounded as on the server (which refuses more): a preview never builds a huge string from repeated values.
  return renderTemplate(prompt.content, trimmed(values), defaults, PROMPT_RENDERED_MAX).text;
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

/**
 * The values a chat's library prompt was last sent with, so the prompt dialog shows them again (the server keeps
 * the rendered text, not the values).
 */
const sentValues = chatMemory(
  'modelyard.chat.prompt-values.',
  (value): value is { promptId: string; variables: Record<string, string> } =>
    typeof (value as { promptId?: unknown } | null)?.promptId === 'string' &&
    typeof (value as { variables?: unknown }).variables === 'object' &&
    (value as { variables: unknown }).variables !== null,
);

export function rememberSentValues(sessionId: string, prompt: PendingPrompt): void {
  sentValues.write(sessionId, { promptId: prompt.promptId, variables: prompt.variables });
}

/** The values `promptId` was last sent with in this chat; empty for another prompt or none remembered. */
export function sentValuesOf(sessionId: string | null, promptId: string | null | undefined): Record<string, string> {
  const remembered = sessionId ? sentValues.read(sessionId) : null;
  return remembered && remembered.promptId === promptId ? remembered.variables : {};
}
