import { BATCH_MAX_QUESTIONS } from '@modelyard/contracts';

/**
 * A look at an upload before it is sent, read the way the server reads it (apps/api/…/question-file.ts): TXT is one
 * question per non-empty line; CSV has a `question` column and an optional `expected` one (headers matched without
 * regard to case); JSONL is one `{ "question", "expected"? }` object per line (`prompt` and `answer` also work).
 * The server has the last word: this only lets the user see what they picked.
 */

export type QuestionFileKind = 'txt' | 'csv' | 'jsonl';

export const ACCEPTED_EXTENSIONS = '.txt,.csv,.jsonl';

export interface PreviewQuestion {
  /** 1-based line (TXT, JSONL) or record (CSV) number, as the server's `file.N` details count them. */
  line: number;
  question: string;
  expected: string | null;
}

export type PreviewProblemCode = 'invalidJson' | 'noQuestion';

export type PreviewError = 'unsupported' | 'empty' | 'noQuestionColumn' | 'tooMany' | 'invalidCsv';

export interface QuestionPreview {
  kind: QuestionFileKind;
  count: number;
  hasExpected: boolean;
  sample: PreviewQuestion[];
  problems: { line: number; code: PreviewProblemCode }[];
  error: PreviewError | null;
}

export function fileKind(filename: string): QuestionFileKind | null {
  const ext = filename.toLowerCase().split('.').pop();
  if (ext === 'txt') return 'txt';
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  return null;
}

/** RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] | null {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += char;
      i++;
      continue;
    }
    if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (char === '\r' && text[i + 1] === '\n') i++;
    } else field += char;
    i++;
  }
  if (quoted) return null; // an unclosed quote
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => r.some((value) => value.trim() !== ''));
}

function preview(kind: QuestionFileKind, all: PreviewQuestion[], sampleSize: number): QuestionPreview {
  return {
    kind,
    count: all.length,
    hasExpected: all.some((q) => q.expected !== null),
    sample: all.slice(0, sampleSize),
    problems: [],
    error: all.length === 0 ? 'empty' : all.length > BATCH_MAX_QUESTIONS ? 'tooMany' : null,
  };
}

export function previewQuestions(filename: string, raw: string, sampleSize = 5): QuestionPreview {
  const text = raw.replace(/^\uFEFF/, '');
  const kind = fileKind(filename);
  if (!kind) return { kind: 'txt', count: 0, hasExpected: false, sample: [], problems: [], error: 'unsupported' };

  if (kind === 'txt') {
    const all: PreviewQuestion[] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      const question = line.trim();
      if (question) all.push({ line: index + 1, question, expected: null });
    });
    return preview(kind, all, sampleSize);
  }

  if (kind === 'csv') {
    const records = parseCsv(text);
    if (!records) return { ...preview(kind, [], sampleSize), error: 'invalidCsv' };
    if (records.length === 0) return preview(kind, [], sampleSize);
    const header = records[0]!.map((h) => h.trim().toLowerCase());
    const q = header.indexOf('question');
    const e = header.indexOf('expected');
    if (q < 0) return { ...preview(kind, [], sampleSize), error: 'noQuestionColumn' };
    const all: PreviewQuestion[] = [];
    records.slice(1).forEach((record, index) => {
      const question = (record[q] ?? '').trim();
      const expected = e >= 0 ? (record[e] ?? '').trim() : '';
      if (question) all.push({ line: index + 1, question, expected: expected || null });
    });
    return preview(kind, all, sampleSize);
  }

  const all: PreviewQuestion[] = [];
  const problems: QuestionPreview['problems'] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ line: index + 1, code: 'invalidJson' });
      return;
    }
    const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const question = typeof record.question === 'string' ? record.question : record.prompt;
    const expected = record.expected ?? record.answer;
    if (typeof question !== 'string' || !question.trim()) {
      problems.push({ line: index + 1, code: 'noQuestion' });
      return;
    }
    all.push({
      line: index + 1,
      question: question.trim(),
      expected: typeof expected === 'string' && expected ? expected : null,
    });
  });
  return { ...preview(kind, all, sampleSize), problems };
}

/** The server's `details` of a BATCH_FILE_INVALID answer, as line numbers (null: the whole file) and messages. */
export function fileErrorDetails(details: readonly unknown[] | undefined): { line: number | null; message: string }[] {
  const out: { line: number | null; message: string }[] = [];
  for (const detail of details ?? []) {
    if (typeof detail !== 'object' || detail === null) continue;
    const { path, message } = detail as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string' || !path.startsWith('file')) continue;
    const match = /^file\.(\d+)$/.exec(path);
    out.push({ line: match ? Number(match[1]) : null, message });
  }
  return out;
}

/** Example files, one per format, offered for download next to the upload. */
export const SAMPLE_FILES: Record<QuestionFileKind, { filename: string; type: string; text: string }> = {
  txt: {
    filename: 'questions-sample.txt',
    type: 'text/plain',
    text: 'What is the capital of France?\nTranslate "good morning" into Spanish.\nName three primary colours.\n',
  },
  csv: {
    filename: 'questions-sample.csv',
    type: 'text/csv',
    text:
      'question,expected\n' +
      '"What is the capital of France?","Paris"\n' +
      '"Translate ""good morning"" into Spanish.","Buenos días"\n' +
      '"Name three primary colours.","Red, yellow and blue"\n',
  },
  jsonl: {
    filename: 'questions-sample.jsonl',
    type: 'application/x-ndjson',
    text:
      '{"question":"What is the capital of France?","expected":"Paris"}\n' +
      '{"question":"Translate \\"good morning\\" into Spanish.","expected":"Buenos días"}\n' +
      '{"question":"Name three primary colours."}\n',
  },
};
