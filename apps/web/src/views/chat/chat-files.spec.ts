import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/http';
import { translate } from '@/i18n';
import { checkChatExport, describeImportProblem, importProblemOf } from './chat-files';

const exported = (overrides: Record<string, unknown> = {}) => ({
  format: 'modelyard.chat',
  version: 1,
  session: { title: 'Physics' },
  messages: [
    { role: 'user', content: 'Why is the sky blue?' },
    { role: 'assistant', content: 'Rayleigh scattering.' },
  ],
  ...overrides,
});

const say = (value: unknown) => {
  const problem = checkChatExport(value);
  return problem && describeImportProblem(problem, translate);
};

const refused = (code: string, message: string, details?: unknown[]) =>
  new ApiError({ status: 400, code, message, details });

describe('checking a chat export before it is imported', () => {
  it('accepts an export of this version', () => {
    expect(checkChatExport(exported())).toBeNull();
  });

  it('says that other JSON (or no JSON) is not a Modelyard chat export', () => {
    for (const value of [{ hello: 1 }, null, [1, 2], 'text', { format: 'other.chat', version: 1 }]) {
      expect(say(value)).toBe('That file is not a Modelyard chat export (JSON).');
    }
  });

  it('names an unsupported version', () => {
    expect(say(exported({ version: 2 }))).toBe(
      'This Modelyard chat export is of a version this app cannot import (2); it imports version 1.',
    );
  });

  it('names the message and the field that are wrong', () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'robot', content: 'Hello' },
    ];
    expect(say(exported({ messages }))).toBe('Message 2 of the file: “role” is missing or not valid.');
    expect(say(exported({ session: {} }))).toBe(
      'That file is not a valid chat export: “session.title” is missing or not valid.',
    );
    expect(say(exported({ messages: 'none' }))).toBe(
      'That file is not a valid chat export: “messages” is missing or not valid.',
    );
  });
});

describe('an import the server refused', () => {
  it('says what INVALID_IMPORT found, naming the message, in the UI language', () => {
    const error = refused('INVALID_IMPORT', 'Message 3 of the file names no message here', [
      { path: 'messages.2.parentId', message: 'names no message here' },
    ]);
    const problem = importProblemOf(error, exported())!;
    expect(describeImportProblem(problem, translate)).toBe(
      'Message 3 of the file names a parent message that is not in the file.',
    );
  });

  it("passes on the server's words for a reason it does not know", () => {
    const error = refused('INVALID_IMPORT', 'Message 1 of the file is odd', [
      { path: 'messages.0.id', message: 'is odd' },
    ]);
    expect(describeImportProblem(importProblemOf(error, exported())!, translate)).toBe('Message 1 of the file: is odd');
    const bare = refused('INVALID_IMPORT', 'The file is odd');
    expect(describeImportProblem(importProblemOf(bare, exported())!, translate)).toBe(
      'The file could not be imported: The file is odd',
    );
  });

  it('turns VALIDATION_FAILED details into the field that is wrong', () => {
    const error = refused('VALIDATION_FAILED', 'The request is invalid', [
      { path: 'messages.4.content', message: 'Too big', code: 'too_big' },
    ]);
    expect(describeImportProblem(importProblemOf(error, exported())!, translate)).toBe(
      'Message 5 of the file: “content” is missing or not valid.',
    );
    const format = refused('VALIDATION_FAILED', 'The request is invalid', [{ path: 'format', message: 'Invalid' }]);
    expect(describeImportProblem(importProblemOf(format, { hello: 1 })!, translate)).toBe(
      'That file is not a Modelyard chat export (JSON).',
    );
  });

  it('leaves other failures to the usual error text', () => {
    expect(importProblemOf(new ApiError({ status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'x' }), {})).toBeNull();
    expect(importProblemOf(new Error('offline'), {})).toBeNull();
  });
});
