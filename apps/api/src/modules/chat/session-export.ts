import { builtinDateValues, type ExportFormat, type Message, type Session } from '@modelyard/contracts';
import { fileSafeName } from '../../common/http/download';

export interface ExportedSession {
  session: Session;
  /** The branch on show (Markdown, text), or every message of the session, parents first (JSON). */
  messages: Message[];
}

/**
 * `items` with every parent before its children (depth first, siblings in their given order), or the first item
 * that breaks the tree: a duplicate id, a parent that is not there, or a cycle.
 */
export function parentsFirst<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  parentOf: (item: T) => string | null,
): { ordered: T[] } | { problem: { index: number; message: string } } {
  const indexOf = new Map<string, number>();
  const children = new Map<string | null, number[]>();
  for (let i = 0; i < items.length; i++) {
    if (indexOf.has(idOf(items[i]!))) return { problem: { index: i, message: 'repeats an earlier message id' } };
    indexOf.set(idOf(items[i]!), i);
  }
  for (let i = 0; i < items.length; i++) {
    const parent = parentOf(items[i]!);
    if (parent !== null && !indexOf.has(parent)) return { problem: { index: i, message: 'names no message here' } };
    children.set(parent, [...(children.get(parent) ?? []), i]);
  }
  const ordered: T[] = [];
  const seen = new Set<number>();
  const stack = [...(children.get(null) ?? [])].reverse();
  while (stack.length > 0) {
    const i = stack.pop()!;
    seen.add(i);
    ordered.push(items[i]!);
    stack.push(...[...(children.get(idOf(items[i]!)) ?? [])].reverse());
  }
  if (ordered.length < items.length) {
    const index = items.findIndex((_, i) => !seen.has(i));
    return { problem: { index, message: 'is part of a cycle of parents' } };
  }
  return { ordered };
}

export const EXPORT_VERSION = 1;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** `<title>_<date>.<ext>` with characters no file system accepts replaced. */
export function exportFilename(title: string, date: Date, ext: ExportFormat, timeZone?: string): string {
  return `${fileSafeName(title, 80, 'chat')}_${builtinDateValues(date, timeZone).current_date}.${ext}`;
}

const ROLE_LABEL: Record<Message['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant' };

export function renderExport(
  exported: ExportedSession,
  format: ExportFormat,
  timeZone?: string,
): { filename: string; body: string; contentType: string } {
  const { session, messages } = exported;
  const filename = exportFilename(session.title, new Date(), format, timeZone);
  let body: string;
  if (format === 'json') {
    body = JSON.stringify(
      {
        format: 'modelyard.chat',
        version: EXPORT_VERSION,
        exportedAt: new Date().toISOString(),
        session: {
          title: session.title,
          systemPrompt: session.systemPrompt,
          createdAt: session.createdAt,
          currentLeafId: session.currentLeafId,
        },
        messages: messages.map((m) => ({
          id: m.id,
          parentId: m.parentId,
          role: m.role,
          content: m.content,
          ...(m.reasoning && { reasoning: m.reasoning }),
          ...(m.reasoningMs !== undefined && { reasoningMs: m.reasoningMs }),
          ...(m.model && { model: m.model }),
          status: m.status,
          ...(m.usage && { usage: m.usage }),
          ...(m.ttftMs !== undefined && { ttftMs: m.ttftMs }),
          ...(m.totalMs !== undefined && { totalMs: m.totalMs }),
          ...(m.finishReason && { finishReason: m.finishReason }),
          ...(m.error && { error: m.error }),
          createdAt: m.createdAt,
        })),
      },
      null,
      2,
    );
  } else if (format === 'md') {
    const parts = [`# ${session.title}`, ''];
    if (session.systemPrompt) parts.push(`> **System:** ${session.systemPrompt.replace(/\n/g, '\n> ')}`, '');
    for (const m of messages) {
      parts.push(`## ${ROLE_LABEL[m.role]}${m.model ? ` · ${m.model}` : ''}`, '');
      if (m.reasoning) parts.push('<details><summary>Thinking</summary>', '', m.reasoning, '', '</details>', '');
      parts.push(m.content, '');
    }
    body = parts.join('\n');
  } else {
    const parts = [session.title, '='.repeat(Math.min(60, Math.max(3, session.title.length))), ''];
    for (const m of messages) parts.push(`[${ROLE_LABEL[m.role]}]`, m.content, '');
    body = parts.join('\n');
  }
  return { filename, body, contentType: CONTENT_TYPES[format] };
}
