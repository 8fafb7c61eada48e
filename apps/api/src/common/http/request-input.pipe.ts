import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { CommonErrorCode, commonError } from '../errors/common.errors';

/** No request body or query of this API nests deeper; a deeper one is refused before anything walks it. */
export const MAX_INPUT_DEPTH = 64;

export type InputProblem = { path: string; kind: 'nul' | 'too-deep' };

/**
 * The first problem in a parsed body or query: a string (value or key) holding a NUL character, or nesting deeper
 * than `MAX_INPUT_DEPTH`, with its dotted path. The walk stops at that depth, so no input can exhaust the stack.
 */
export function findInputProblem(value: unknown): InputProblem | undefined {
  const path: string[] = [];
  const walk = (item: unknown): InputProblem | undefined => {
    if (typeof item === 'string') return item.includes('\u0000') ? { path: path.join('.'), kind: 'nul' } : undefined;
    if (typeof item !== 'object' || item === null) return undefined;
    if (path.length >= MAX_INPUT_DEPTH) return { path: path.join('.'), kind: 'too-deep' };
    const entries: [string, unknown][] = Array.isArray(item)
      ? item.map((element, index) => [String(index), element])
      : Object.entries(item);
    for (const [key, child] of entries) {
      if (key.includes('\u0000')) {
        return { path: [...path, key.replaceAll('\u0000', '\\u0000')].join('.'), kind: 'nul' };
      }
      path.push(key);
      const found = walk(child);
      path.pop();
      if (found) return found;
    }
    return undefined;
  };
  return walk(value);
}

/**
 * Runs before validation on every body and query:
 * - a POST without a body (no content type) validates as an empty object, so routes whose fields are all optional
 *   (regenerate, for one) can be called bare;
 * - text holding NUL characters (U+0000, `\u0000` in JSON, `%00` in a URL) is refused with a 400 naming the field:
 *   PostgreSQL text cannot store it, and letting it through turned into a 500 half-way through the work;
 * - input nested deeper than `MAX_INPUT_DEPTH` levels is refused the same way (thousands of levels overflowed the
 *   stack of whatever walked it first: a 500).
 */
@Injectable()
export class RequestInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'query') return value;
    if (metadata.type === 'body' && value === undefined) return {};
    const problem = findInputProblem(value);
    if (problem) {
      throw commonError(CommonErrorCode.ValidationFailed, 'The request is invalid', [
        problem.kind === 'nul'
          ? { path: problem.path, message: 'must not contain NUL characters (U+0000)', code: 'invalid_string' }
          : { path: problem.path, message: `must not nest more than ${MAX_INPUT_DEPTH} levels deep`, code: 'too_big' },
      ]);
    }
    return value;
  }
}
