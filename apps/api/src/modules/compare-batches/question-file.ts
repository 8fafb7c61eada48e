import { BATCH_MAX_QUESTIONS } from '@modelyard/contracts';
import { parse } from 'csv-parse/sync';

export interface Question {
  question: string;
  expected: string | null;
}

export class QuestionFileError extends Error {
  constructor(
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

const QUESTION_MAX = 20_000;

/**
 * Questions from an upload: TXT (one per non-empty line), CSV (a `question` column and an optional `expected` one;
 * header names are matched case-insensitively) or JSONL (one `{ "question", "expected"? }` object per line). The
 * kind comes from the file extension.
 */
export function parseQuestionFile(filename: string, bytes: Buffer): Question[] {
  const text = decodeText(bytes);
  const ext = filename.toLowerCase().split('.').pop();
  let questions: Question[];
  if (ext === 'txt') {
    questions = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean)
      .map((question) => ({ question, expected: null }));
  } else if (ext === 'csv') questions = fromCsv(text);
  else if (ext === 'jsonl' || ext === 'ndjson') questions = fromJsonl(text);
  else
    throw new QuestionFileError('Upload a .txt, .csv or .jsonl file', [
      { path: 'file', message: 'unsupported file type' },
    ]);
  if (questions.length === 0)
    throw new QuestionFileError('The file holds no questions', [{ path: 'file', message: 'is empty' }]);
  if (questions.length > BATCH_MAX_QUESTIONS) {
    throw new QuestionFileError(`At most ${BATCH_MAX_QUESTIONS} questions per batch`, [
      { path: 'file', message: `has ${questions.length} questions` },
    ]);
  }
  // PostgreSQL text cannot hold NUL; a binary file renamed .txt is the usual cause.
  const withNul = questions.findIndex((q) => q.question.includes('\u0000') || q.expected?.includes('\u0000'));
  if (withNul >= 0) {
    throw new QuestionFileError(`Question ${withNul + 1} holds a NUL character: is this a text file?`, [
      { path: `file.${withNul + 1}`, message: 'contains a NUL character (U+0000)' },
    ]);
  }
  const tooLong = questions.findIndex((q) => q.question.length > QUESTION_MAX);
  if (tooLong >= 0) {
    throw new QuestionFileError(`Question ${tooLong + 1} is longer than ${QUESTION_MAX} characters`, [
      { path: `file.${tooLong + 1}`, message: 'is too long' },
    ]);
  }
  return questions;
}

/** UTF-8 (with or without a BOM), or UTF-16 when the file starts with its byte-order mark (as Excel saves "Unicode text"). */
/** UTF-8 (with or without a BOM) or UTF-16 with its BOM; anything else (GBK, Latin-1) is refused, not garbled. */
function decodeText(bytes: Buffer): string {
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new QuestionFileError('The file is not UTF-8 text (save it as UTF-8, or UTF-16 with a byte-order mark)', [
      { path: 'file', message: 'is not UTF-8 text' },
    ]);
  }
}

function fromCsv(text: string): Question[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    // csv-parse names the line where it gave up; the details name it as JSONL errors do (`file.<line>`).
    const line = (error as { lines?: number }).lines;
    throw new QuestionFileError(`The CSV could not be read: ${(error as Error).message}`, [
      { path: line ? `file.${line}` : 'file', message: 'is not valid CSV' },
    ]);
  }
  if (records.length > 0 && !('question' in records[0]!)) {
    throw new QuestionFileError('The CSV needs a "question" column (and may have an "expected" one)', [
      { path: 'file', message: 'has no question column' },
    ]);
  }
  return records
    .filter((r) => (r.question ?? '').length > 0)
    .map((r) => ({ question: r.question!, expected: r.expected ? r.expected : null }));
}

function fromJsonl(text: string): Question[] {
  const questions: Question[] = [];
  const problems: { path: string; message: string }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ path: `file.${i + 1}`, message: 'is not valid JSON' });
      return;
    }
    const record = value as { question?: unknown; prompt?: unknown; expected?: unknown; answer?: unknown };
    const question = typeof record?.question === 'string' ? record.question : record?.prompt;
    const expected = record?.expected ?? record?.answer;
    if (typeof question !== 'string' || !question.trim()) {
      problems.push({ path: `file.${i + 1}`, message: 'needs a "question" string' });
      return;
    }
    // A number or a yes/no is a fine expected answer ("4"); objects and arrays are not one.
    const expectedText = typeof expected === 'number' || typeof expected === 'boolean' ? String(expected) : expected;
    questions.push({
      question: question.trim(),
      expected: typeof expectedText === 'string' && expectedText ? expectedText : null,
    });
  });
  if (problems.length > 0) {
    throw new QuestionFileError(
      `${problems.length} line(s) of the JSONL file could not be read`,
      problems.slice(0, 20),
    );
  }
  return questions;
}
