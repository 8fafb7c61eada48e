import { describe, expect, it } from 'vitest';
import { parentsFirst } from './session-export';

type Node = { id: string; parent: string | null };
const order = (nodes: Node[]) =>
  parentsFirst(
    nodes,
    (n) => n.id,
    (n) => n.parent,
  );

describe('parentsFirst', () => {
  it('puts every parent before its children, depth first, siblings in their given order', () => {
    const result = order([
      { id: 'a2', parent: 'q' },
      { id: 'q', parent: null },
      { id: 'a1', parent: 'q' },
      { id: 'q2', parent: 'a2' },
      { id: 'r', parent: null },
    ]);
    expect('ordered' in result && result.ordered.map((n) => n.id)).toEqual(['q', 'a2', 'q2', 'a1', 'r']);
  });

  it('names the first message that breaks the tree', () => {
    expect(
      order([
        { id: 'a', parent: null },
        { id: 'a', parent: null },
      ]),
    ).toEqual({
      problem: { index: 1, message: 'repeats an earlier message id' },
    });
    expect(order([{ id: 'a', parent: 'gone' }])).toEqual({ problem: { index: 0, message: 'names no message here' } });
    expect(
      order([
        { id: 'root', parent: null },
        { id: 'x', parent: 'y' },
        { id: 'y', parent: 'x' },
      ]),
    ).toEqual({ problem: { index: 1, message: 'is part of a cycle of parents' } });
  });
});
