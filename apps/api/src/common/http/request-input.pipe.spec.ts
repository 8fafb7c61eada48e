import { describe, expect, it } from 'vitest';
import { AppException } from '../errors/app-exception';
import { findInputProblem, MAX_INPUT_DEPTH, RequestInputPipe } from './request-input.pipe';

describe('RequestInputPipe', () => {
  const pipe = new RequestInputPipe();
  const reject = (value: unknown, type: 'body' | 'query') => {
    try {
      pipe.transform(value, { type });
    } catch (error) {
      return error as AppException;
    }
    return undefined;
  };

  it('refuses a NUL character anywhere in a body or query, naming the field', () => {
    const error = reject({ messages: [{ role: 'user', content: 'a\u0000b' }] }, 'body');
    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(error?.details).toEqual([expect.objectContaining({ path: 'messages.0.content' })]);
    expect(reject({ search: 'a\u0000' }, 'query')?.details).toEqual([expect.objectContaining({ path: 'search' })]);
    expect(findInputProblem({ variables: { 'k\u0000': 'v' } })).toEqual({ path: 'variables.k\\u0000', kind: 'nul' });
  });

  it('refuses nesting deeper than the limit without walking it (thousands of levels overflowed the stack)', () => {
    const nest = (levels: number) => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i++) value = [value];
      return { email: 'a@b.c', deep: value };
    };
    const error = reject(nest(100_000), 'body');
    expect(error).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    const detail = error?.details?.[0] as { path: string; message: string } | undefined;
    expect(detail?.message).toBe(`must not nest more than ${MAX_INPUT_DEPTH} levels deep`);
    expect(detail?.path).toMatch(/^deep(\.0)+$/);
    // The deepest allowed body passes.
    const ok = nest(MAX_INPUT_DEPTH - 1);
    expect(pipe.transform(ok, { type: 'body' })).toBe(ok);
  });

  it('passes everything else through untouched, and reads a missing body as an empty object', () => {
    const body = { content: 'tabs\tand\nnewlines, 中文, emoji 😀', n: 1, ok: true, none: null };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
    expect(pipe.transform('a\u0000b', { type: 'param' })).toBe('a\u0000b');
    expect(pipe.transform(undefined, { type: 'body' })).toEqual({});
    expect(pipe.transform(undefined, { type: 'query' })).toBeUndefined();
  });
});
