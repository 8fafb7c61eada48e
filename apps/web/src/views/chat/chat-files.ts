import { ImportSessionSchema } from '@modelyard/contracts';
import type { DownloadedFile } from '@/api/download';
import { isApiError } from '@/api/http';

/** Hands a downloaded file to the browser's "save" flow. */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The click has started the download by the time the next task runs.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The JSON a picked file contains; null when it is not JSON at all. */
export async function readJsonFile(file: Blob): Promise<unknown> {
  try {
    return JSON.parse(await file.text()) as unknown;
  } catch {
    return null;
  }
}

export const CHAT_EXPORT_FORMAT = 'modelyard.chat';
export const CHAT_EXPORT_VERSION = 1;

/** Why a file cannot be imported as a conversation, as precisely as the file (or the server) tells. */
export type ImportProblem =
  /** Not JSON, or JSON that is not a Modelyard chat export at all. */
  | { kind: 'not-export' }
  /** A Modelyard chat export of a version this client cannot import. */
  | { kind: 'version'; version: unknown }
  /** Message `number` (1-based) of the file: a field missing or not valid, or what the server found wrong. */
  | { kind: 'message'; number: number; field: string; reason?: string }
  /** A field of the file outside its messages (the session's title…). */
  | { kind: 'field'; field: string }
  /** The server's own words, when they name nothing more precise. */
  | { kind: 'server'; reason: string };

type Path = readonly PropertyKey[];

function problemAt(path: Path, exported: unknown): ImportProblem {
  const [head, index, ...rest] = path;
  if (path.length === 0 || head === 'format') return { kind: 'not-export' };
  if (head === 'version') return { kind: 'version', version: (exported as { version?: unknown } | null)?.version };
  if (head === 'messages' && index !== undefined && Number.isInteger(Number(index))) {
    return { kind: 'message', number: Number(index) + 1, field: rest.map(String).join('.') };
  }
  return { kind: 'field', field: path.map(String).join('.') };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What stops `exported` (a picked file's JSON; null when it was not JSON) from being imported, checked here before
 * it is sent: the format and version first, then each field as the server would check it. Null: it looks fine.
 */
export function checkChatExport(exported: unknown): ImportProblem | null {
  if (!isRecord(exported) || exported.format !== CHAT_EXPORT_FORMAT) return { kind: 'not-export' };
  if (exported.version !== CHAT_EXPORT_VERSION) return { kind: 'version', version: exported.version };
  const parsed = ImportSessionSchema.safeParse(exported);
  if (parsed.success) return null;
  return problemAt(parsed.error.issues[0]?.path ?? [], exported);
}

/** The path of the first `details` entry of an error envelope (`messages.3.role`), as its parts. */
function firstDetail(details: readonly unknown[] | undefined): { path: string[]; message?: string } | null {
  const detail = details?.find(isRecord);
  if (!detail || typeof detail.path !== 'string') return null;
  return {
    path: detail.path === '' ? [] : detail.path.split('.'),
    message: typeof detail.message === 'string' ? detail.message : undefined,
  };
}

/**
 * An import the server refused (400 VALIDATION_FAILED or INVALID_IMPORT) as the problem it names; null for any
 * other failure (the network, a file too large…), which the usual error text describes.
 */
export function importProblemOf(error: unknown, exported: unknown): ImportProblem | null {
  if (!isApiError(error) || error.status !== 400) return null;
  if (error.code !== 'VALIDATION_FAILED' && error.code !== 'INVALID_IMPORT') return null;
  const detail = firstDetail(error.details);
  if (error.code === 'VALIDATION_FAILED') return detail ? problemAt(detail.path, exported) : { kind: 'not-export' };
  const problem = detail ? problemAt(detail.path, exported) : null;
  if (problem?.kind === 'message') return { ...problem, reason: detail?.message };
  return { kind: 'server', reason: error.message };
}

/** The server's words for what is wrong with a message of an import, as keys of `chat.sessions.importReasons`. */
const KNOWN_REASONS: Record<string, string> = {
  'repeats an earlier message id': 'duplicateId',
  'names no message here': 'unknownParent',
  'is part of a cycle of parents': 'cycle',
  'is missing (the other messages have ids)': 'missingId',
};

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** The problem in the UI language, naming the message and field where there is one. */
export function describeImportProblem(problem: ImportProblem, t: Translate): string {
  switch (problem.kind) {
    case 'not-export':
      return t('chat.sessions.importInvalid');
    case 'version':
      return t('chat.sessions.importVersion', { version: JSON.stringify(problem.version) ?? '—' });
    case 'field':
      return t('chat.sessions.importField', { field: problem.field });
    case 'server':
      return t('chat.sessions.importServer', { reason: problem.reason });
    case 'message': {
      const known = problem.reason === undefined ? undefined : KNOWN_REASONS[problem.reason];
      if (known) {
        return t('chat.sessions.importMessageReason', {
          n: problem.number,
          reason: t(`chat.sessions.importReasons.${known}`),
        });
      }
      if (problem.reason !== undefined) {
        return t('chat.sessions.importMessageServer', { n: problem.number, reason: problem.reason });
      }
      return problem.field
        ? t('chat.sessions.importMessageField', { n: problem.number, field: problem.field })
        : t('chat.sessions.importMessageInvalid', { n: problem.number });
    }
  }
}
