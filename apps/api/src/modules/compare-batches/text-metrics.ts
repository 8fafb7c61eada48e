/**
 * Reference-based scores for batch answers. Text is tokenised as lower-cased words, except that every CJK character
 * is a token of its own (Chinese and Japanese have no spaces), so the scores mean something in those languages too.
 */

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const chunk of text.toLowerCase().match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []) {
    if (CJK.test(chunk)) for (const char of chunk) tokens.push(char);
    else if (/[\p{L}\p{N}]/u.test(chunk)) tokens.push(chunk);
  }
  return tokens;
}

function ngrams(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Sentence BLEU (up to 4-grams, uniform weights, brevity penalty) with add-one smoothing of the higher-order
 * precisions (Lin & Och 2004), so a short answer with no 4-gram match still scores above zero. In [0, 1].
 */
export function bleu(candidate: string, reference: string, maxN = 4): number {
  const c = tokenize(candidate);
  const r = tokenize(reference);
  if (c.length === 0 || r.length === 0) return 0;
  let logSum = 0;
  for (let n = 1; n <= maxN; n++) {
    const cand = ngrams(c, n);
    const ref = ngrams(r, n);
    let overlap = 0;
    let total = 0;
    for (const [gram, count] of cand) {
      overlap += Math.min(count, ref.get(gram) ?? 0);
      total += count;
    }
    const precision = n === 1 ? (total > 0 ? overlap / total : 0) : (overlap + 1) / (total + 1);
    if (precision === 0) return 0;
    logSum += Math.log(precision) / maxN;
  }
  const brevity = c.length >= r.length ? 1 : Math.exp(1 - r.length / c.length);
  return brevity * Math.exp(logSum);
}

/** ROUGE-L F-measure from the longest common subsequence of tokens (β = 1, the usual F1). In [0, 1]. */
export function rougeL(candidate: string, reference: string): number {
  const c = tokenize(candidate);
  const r = tokenize(reference);
  if (c.length === 0 || r.length === 0) return 0;
  let previous = new Uint32Array(r.length + 1);
  let current = new Uint32Array(r.length + 1);
  for (let i = 1; i <= c.length; i++) {
    for (let j = 1; j <= r.length; j++) {
      current[j] = c[i - 1] === r[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  const lcs = previous[r.length]!;
  if (lcs === 0) return 0;
  const precision = lcs / c.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}
