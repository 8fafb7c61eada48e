import { describe, expect, it } from 'vitest';
import { toOpenApi30 } from './openapi-30';

describe('toOpenApi30', () => {
  it('writes nullable types, null branches and constants the OpenAPI 3.0 way, at any depth', () => {
    expect(
      toOpenApi30({
        type: 'object',
        properties: {
          a: { type: ['string', 'null'] },
          b: { anyOf: [{ type: 'object', properties: { c: { type: ['integer', 'null'] } } }, { type: 'null' }] },
          d: { const: 'x' },
          e: { anyOf: [{ $ref: '#/components/schemas/E' }, { type: 'null' }] },
          f: { type: ['string', 'number'] },
        },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        a: { type: 'string', nullable: true },
        b: { type: 'object', properties: { c: { type: 'integer', nullable: true } }, nullable: true },
        d: { enum: ['x'] },
        e: { anyOf: [{ $ref: '#/components/schemas/E' }], nullable: true },
        f: { anyOf: [{ type: 'string' }, { type: 'number' }] },
      },
    });
  });

  it('leaves arrays of strings alone', () => {
    expect(toOpenApi30({ type: 'array', items: { type: 'string' } })).toEqual({
      type: 'array',
      items: { type: 'string' },
    });
  });
});
