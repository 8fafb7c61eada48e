import { describe, expect, it } from 'vitest';
import {
  buildTree,
  latestLeaf,
  pathTo,
  resolveLeaf,
  siblingPosition,
  siblingsOf,
  switchSibling,
  type TreeNode,
} from './message-tree';

/*
 * q1 ─ a1 ─ q2 ─ a2
 *    └ a1b ─ q3 ─ a3          (a regenerated answer, continued)
 * q1b ─ a4                    (an edited first question: a second root)
 */
const messages: TreeNode[] = [
  { id: 'q1', parentId: null },
  { id: 'a1', parentId: 'q1' },
  { id: 'q2', parentId: 'a1' },
  { id: 'a2', parentId: 'q2' },
  { id: 'a1b', parentId: 'q1' },
  { id: 'q3', parentId: 'a1b' },
  { id: 'a3', parentId: 'q3' },
  { id: 'q1b', parentId: null },
  { id: 'a4', parentId: 'q1b' },
];
const tree = buildTree(messages);
const ids = (nodes: TreeNode[]) => nodes.map((n) => n.id);

describe('message tree', () => {
  it('the visible conversation is the path from the root to the leaf', () => {
    expect(ids(pathTo(tree, 'a2'))).toEqual(['q1', 'a1', 'q2', 'a2']);
    expect(ids(pathTo(tree, 'a3'))).toEqual(['q1', 'a1b', 'q3', 'a3']);
    expect(ids(pathTo(tree, 'a4'))).toEqual(['q1b', 'a4']);
    expect(pathTo(tree, null)).toEqual([]);
    expect(pathTo(tree, 'missing')).toEqual([]);
  });

  it('siblings share a parent, roots included, oldest first', () => {
    expect(ids([...siblingsOf(tree, tree.byId.get('a1')!)])).toEqual(['a1', 'a1b']);
    expect(ids([...siblingsOf(tree, tree.byId.get('q1b')!)])).toEqual(['q1', 'q1b']);
    expect(siblingPosition(tree, tree.byId.get('a1b')!)).toEqual({ index: 1, count: 2 });
    expect(siblingPosition(tree, tree.byId.get('q2')!)).toEqual({ index: 0, count: 1 });
  });

  it('switching to a sibling follows its latest children down to a leaf', () => {
    expect(switchSibling(tree, 'a1', 1)).toBe('a3');
    expect(switchSibling(tree, 'a1b', -1)).toBe('a2');
    expect(switchSibling(tree, 'q1', 1)).toBe('a4');
    expect(switchSibling(tree, 'q1b', -1)).toBe('a3'); // q1's latest child is a1b
    expect(switchSibling(tree, 'a1', -1)).toBeNull();
    expect(switchSibling(tree, 'a1b', 1)).toBeNull();
    expect(latestLeaf(tree, 'q1')).toBe('a3');
  });

  it("uses the server's leaf when known, else the latest branch of the latest root", () => {
    expect(resolveLeaf(tree, 'a2')).toBe('a2');
    expect(resolveLeaf(tree, null)).toBe('a4');
    expect(resolveLeaf(tree, 'gone')).toBe('a4');
    expect(resolveLeaf(buildTree([]), null)).toBeNull();
  });

  it('survives a cycle in corrupt data', () => {
    const looped = buildTree([
      { id: 'x', parentId: 'y' },
      { id: 'y', parentId: 'x' },
    ]);
    expect(ids(pathTo(looped, 'x'))).toEqual(['y', 'x']);
  });
});
