import type { ExportFormat, Message, Session } from '@modelyard/contracts';
import { fileSafeName } from '../../common/http/download';

export interface ExportedSession {
  session: Session;
  messages: Message[];
}

export const EXPORT_VERSION = 1;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** `<title>_<date>.<ext>` with characters no file system accepts replaced. */
export function exportFilename(title: string, date: Date, ext: ExportFormat): string {
  return `${fileSafeName(title, 80, 'chat')}_${date.toISOString().slice(0, 10)}.${ext}`;
}

const ROLE_LABEL: Record<Message['role'], string> = { system: 'System', user: 'User', assistant: 'Assistant' };

export function renderExport(
  exported: ExportedSession,
  format: ExportFormat,
): { filename: string; body: string; contentType: string } {
  const { session, messages } = exported;
  const filename = exportFilename(session.title, new Date(), format);
  let body: string;
  if (format === 'json') {
    body = JSON.stringify(
      {
        format: 'modelyard.chat',
        version: EXPORT_VERSION,
        exportedAt: new Date().toISOString(),
        session: { title: session.title, systemPrompt: session.systemPrompt, createdAt: session.createdAt },
        messages: messages.map((m) => ({
          role: m.role,
          content: m.content,
          ...(m.reasoning && { reasoning: m.reasoning }),
          ...(m.model && { model: m.model }),
          status: m.status,
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
