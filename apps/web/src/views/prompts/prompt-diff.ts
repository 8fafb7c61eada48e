import type { PromptDiff } from '@modelyard/contracts';

export interface DiffSide {
  /** 1-based line number in that version. */
  line: number;
  text: string;
}

/** One row of a side-by-side diff: the old version on the left, the new one on the right. */
export interface DiffRow {
  type: 'equal' | 'changed' | 'removed' | 'added';
  left: DiffSide | null;
  right: DiffSide | null;
}

/** A run of unchanged rows folded away, which the reader can open. */
export interface DiffFold {
  fold: true;
  rows: DiffRow[];
}

/** A change's value as lines: a chunk may hold several lines; its final line break does not start another. */
function linesOf(value: string): string[] {
  if (value === '') return [''];
  const lines = value.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Lays out the server's line changes side by side: unchanged lines on both sides; a run of removed lines next to
 * the run of added lines that follows it (a changed block), the longer run continuing with blanks opposite.
 */
export function alignDiff(changes: PromptDiff['changes']): DiffRow[] {
  const rows: DiffRow[] = [];
  let left = 0;
  let right = 0;
  let removed: string[] = [];
  let added: string[] = [];

  const flush = () => {
    const n = Math.max(removed.length, added.length);
    for (let i = 0; i < n; i++) {
      const l = i < removed.length ? { line: ++left, text: removed[i]! } : null;
      const r = i < added.length ? { line: ++right, text: added[i]! } : null;
      rows.push({ type: l && r ? 'changed' : l ? 'removed' : 'added', left: l, right: r });
    }
    removed = [];
    added = [];
  };

  for (const change of changes) {
    const lines = linesOf(change.value);
    if (change.type === 'removed') {
      // A removal after additions starts a new block: keep each block's lines together.
      if (added.length > 0) flush();
      removed.push(...lines);
    } else if (change.type === 'added') {
      added.push(...lines);
    } else {
      flush();
      for (const text of lines)
        rows.push({ type: 'equal', left: { line: ++left, text }, right: { line: ++right, text } });
    }
  }
  flush();
  return rows;
}

/** Folds unchanged runs longer than twice the context, keeping `context` lines around each change. */
export function foldUnchanged(rows: DiffRow[], context = 3): (DiffRow | DiffFold)[] {
  const out: (DiffRow | DiffFold)[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i]!.type !== 'equal') {
      out.push(rows[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < rows.length && rows[j]!.type === 'equal') j++;
    const run = rows.slice(i, j);
    const keepBefore = i === 0 ? 0 : context;
    const keepAfter = j === rows.length ? 0 : context;
    if (run.length > keepBefore + keepAfter + 1) {
      out.push(...run.slice(0, keepBefore));
      out.push({ fold: true, rows: run.slice(keepBefore, run.length - keepAfter) });
      out.push(...run.slice(run.length - keepAfter));
    } else out.push(...run);
    i = j;
  }
  return out;
}

export const isFold = (item: DiffRow | DiffFold): item is DiffFold => 'fold' in item;

/** How many lines each side gained or lost, for the diff's summary. */
export function diffStats(rows: DiffRow[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const row of rows) {
    if (row.type === 'equal') continue;
    if (row.left) removed++;
    if (row.right) added++;
  }
  return { added, removed };
}
