import { describe, expect, it } from 'vitest';
import { parseQuestionFile, QuestionFileError } from './question-file';

const file = (text: string) => Buffer.from(text, 'utf8');

describe('parseQuestionFile', () => {
  it('reads one question per non-empty line of a TXT file', () => {
    expect(parseQuestionFile('q.txt', file('\uFEFFWhat is 2+2?\r\n\n  Capital of France?  \n'))).toEqual([
      { question: 'What is 2+2?', expected: null },
      { question: 'Capital of France?', expected: null },
    ]);
  });

  it('reads question and expected columns of a CSV, quoted commas and newlines included', () => {
    const csv = 'Question,Expected\n"Hello, world?","Hi, there"\n"Two\nlines",\n';
    expect(parseQuestionFile('q.csv', file(csv))).toEqual([
      { question: 'Hello, world?', expected: 'Hi, there' },
      { question: 'Two\nlines', expected: null },
    ]);
  });

  it('reads JSONL objects and names the lines it cannot read', () => {
    expect(
      parseQuestionFile(
        'q.jsonl',
        file('{"question":"a","expected":"b"}\n{"prompt":"c"}\n{"question":"2+2","expected":4}\n'),
      ),
    ).toEqual([
      { question: 'a', expected: 'b' },
      { question: 'c', expected: null },
      { question: '2+2', expected: '4' },
    ]);
    const error = (() => {
      try {
        parseQuestionFile('q.jsonl', file('{"question":"a"}\nnot json\n{"x":1}\n'));
      } catch (e) {
        return e as QuestionFileError;
      }
    })();
    expect(error).toBeInstanceOf(QuestionFileError);
    expect(error!.details).toEqual([
      { path: 'file.2', message: 'is not valid JSON' },
      { path: 'file.3', message: 'needs a "question" string' },
    ]);
  });

  it('refuses other file types, empty files and a CSV without a question column', () => {
    expect(() => parseQuestionFile('q.pdf', file('x'))).toThrow(/txt, .csv or .jsonl/);
    expect(() => parseQuestionFile('q.txt', file('\n \n'))).toThrow(/no questions/);
    expect(() => parseQuestionFile('q.csv', file('prompt\nx\n'))).toThrow(/question/);
  });

  it('reads UTF-16 files by their byte-order mark, as spreadsheet programs save "Unicode text"', () => {
    const utf16le = (text: string) => Buffer.from(text, 'utf16le');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('Hello?\n你好？\n')]);
    expect(parseQuestionFile('q.txt', le).map((q) => q.question)).toEqual(['Hello?', '你好？']);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16le('question\nWhy?\n').swap16()]);
    expect(parseQuestionFile('q.csv', be).map((q) => q.question)).toEqual(['Why?']);
  });

  it('refuses text that is not UTF-8 (a GBK file) instead of sending garbled questions', () => {
    const gbk = Buffer.from('c4e3bac3a3accac0bde70a', 'hex'); // 你好，世界 in GBK
    const error = (() => {
      try {
        parseQuestionFile('q.txt', gbk);
      } catch (e) {
        return e as QuestionFileError;
      }
    })();
    expect(error).toBeInstanceOf(QuestionFileError);
    expect(error!.details).toEqual([{ path: 'file', message: 'is not UTF-8 text' }]);
  });

  it('names the line a CSV could not be read at', () => {
    const error = (() => {
      try {
        parseQuestionFile('q.csv', file('question\nfine\n"unclosed\n'));
      } catch (e) {
        return e as QuestionFileError;
      }
    })();
    expect(error!.details[0]).toMatchObject({
      path: expect.stringMatching(/^file\.\d+$/),
      message: 'is not valid CSV',
    });
  });

  it('refuses a NUL character (a binary file under a text name) with the line it is on', () => {
    const error = (() => {
      try {
        parseQuestionFile('q.txt', Buffer.from('fine\nab\u0000cd\n', 'utf8'));
      } catch (e) {
        return e as QuestionFileError;
      }
    })();
    expect(error).toBeInstanceOf(QuestionFileError);
    expect(error?.details).toEqual([{ path: 'file.2', message: 'contains a NUL character (U+0000)' }]);
    expect(() => parseQuestionFile('q.jsonl', file('{"question":"a\\u0000b"}\n'))).toThrow(/NUL/);
  });
});
