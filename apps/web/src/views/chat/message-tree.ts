/**
 * A session's messages form a tree: editing a question or regenerating an answer adds a sibling under the same
 * parent. The server sends the whole tree flat, in creation order, with the leaf of the branch on screen
 * (`currentLeafId`); these helpers turn that into the visible conversation and the ‹ n/m › sibling navigation.
 */

/** What the tree needs of a message. */
export interface TreeNode {
  id: string;
  parentId: string | null;
}

export interface MessageTree<T extends TreeNode> {
  byId: ReadonlyMap<string, T>;
  /** Children per parent id (`null`: the roots), oldest first. */
  children: ReadonlyMap<string | null, readonly T[]>;
}

export interface SiblingPosition {
  /** 0-based position among the siblings, oldest first. */
  index: number;
  count: number;
}

/** Indexes messages given in creation order (children keep that order: the last one is the latest). */
export function buildTree<T extends TreeNode>(messages: Iterable<T>): MessageTree<T> {
  const byId = new Map<string, T>();
  const children = new Map<string | null, T[]>();
  for (const message of messages) {
    byId.set(message.id, message);
    const parent = message.parentId;
    const list = children.get(parent);
    if (list) list.push(message);
    else children.set(parent, [message]);
  }
  return { byId, children };
}

/** From `messageId` down to a leaf, always taking the latest child. */
export function latestLeaf<T extends TreeNode>(tree: MessageTree<T>, messageId: string): string {
  let current = messageId;
  const seen = new Set<string>();
  for (;;) {
    seen.add(current);
    const next = tree.children.get(current)?.at(-1);
    if (!next || seen.has(next.id)) return current;
    current = next.id;
  }
}

/**
 * The leaf whose branch is on screen: the server's choice when it is part of the tree, otherwise the latest branch
 * of the latest root (an empty tree has none).
 */
export function resolveLeaf<T extends TreeNode>(tree: MessageTree<T>, currentLeafId: string | null): string | null {
  if (currentLeafId && tree.byId.has(currentLeafId)) return currentLeafId;
  const root = tree.children.get(null)?.at(-1);
  return root ? latestLeaf(tree, root.id) : null;
}

/** The conversation on screen: from the root down to `leafId`. */
export function pathTo<T extends TreeNode>(tree: MessageTree<T>, leafId: string | null): T[] {
  const path: T[] = [];
  const seen = new Set<string>();
  let current = leafId ? tree.byId.get(leafId) : undefined;
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    path.push(current);
    current = current.parentId ? tree.byId.get(current.parentId) : undefined;
  }
  return path.reverse();
}

export function siblingsOf<T extends TreeNode>(tree: MessageTree<T>, message: TreeNode): readonly T[] {
  return tree.children.get(message.parentId) ?? [];
}

export function siblingPosition<T extends TreeNode>(tree: MessageTree<T>, message: TreeNode): SiblingPosition {
  const siblings = siblingsOf(tree, message);
  return {
    index: Math.max(
      0,
      siblings.findIndex((s) => s.id === message.id),
    ),
    count: Math.max(1, siblings.length),
  };
}

/**
 * The leaf to show after moving from `messageId` to its previous (-1) or next (+1) sibling: that sibling's latest
 * branch. `null` when there is no sibling in that direction.
 */
export function switchSibling<T extends TreeNode>(
  tree: MessageTree<T>,
  messageId: string,
  direction: -1 | 1,
): string | null {
  const message = tree.byId.get(messageId);
  if (!message) return null;
  const siblings = siblingsOf(tree, message);
  const target = siblings[siblings.findIndex((s) => s.id === messageId) + direction];
  return target ? latestLeaf(tree, target.id) : null;
}
