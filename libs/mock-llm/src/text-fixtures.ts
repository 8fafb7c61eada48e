/**
 * The fixed texts the scenarios stream. Deterministic on purpose: a test can assert on exact output and a
 * benchmark run is comparable with the last one.
 */

const ANSWER_SENTENCES = [
  'This is a simulated answer from the Modelyard mock model.',
  'It streams one word at a time so that clients can render partial output.',
  'Every run produces exactly the same text, which keeps tests deterministic.',
  'No real language model is involved and nothing leaves this machine.',
  'Timing, length and faults are all chosen through the model name.',
  'Ask again and you will get this very same paragraph back.',
];

const REASONING_SENTENCES = [
  'Okay, the user wants an answer, so let me think this through step by step.',
  'First I should work out what they are really asking for.',
  'Then I can check the facts I know and put them in a sensible order.',
  'A short, direct reply with a little context should work best here.',
];

/** Splits text into word tokens (a word plus the whitespace after it); joining them gives the text back. */
export function tokenize(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function cycleWords(sentences: readonly string[], count: number): string[] {
  const words = sentences.join(' ').split(' ');
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = words[i % words.length];
    tokens.push(i === count - 1 ? word : `${word} `);
  }
  return tokens;
}

export function answerTokens(count: number): string[] {
  return cycleWords(ANSWER_SENTENCES, count);
}

export function reasoningTokens(count: number): string[] {
  return cycleWords(REASONING_SENTENCES, count);
}

/** Chunk sizes 1-3 from a fixed sequence, so `<think>` and `</think>` always straddle chunk boundaries. */
export function splitIntoSmallChunks(text: string): string[] {
  const sizes = [1, 2, 3, 2, 1, 3, 3, 1, 2];
  const chunks: string[] = [];
  let offset = 0;
  for (let i = 0; offset < text.length; i++) {
    const size = sizes[i % sizes.length];
    chunks.push(text.slice(offset, offset + size));
    offset += size;
  }
  return chunks;
}

export const MARKDOWN_XSS_TEXT = [
  'Here is some **formatted** text with a [safe link](https://example.com) and a [dangerous link](javascript:alert(1)).',
  '',
  '<script>alert(1)</script>',
  '',
  'An inline image that should never run code: <img src=x onerror=alert(1)>',
  '',
  '```html',
  '<script>alert("inside a code block, shown as text")</script>',
  '<img src=x onerror=alert(2)>',
  '```',
  '',
  '- a list item with `inline <b>code</b>`',
  '- a second item',
].join('\n');

const LONG_TOPICS = [
  'Overview',
  'Installation',
  'Configuration',
  'Usage',
  'Troubleshooting',
  'Performance',
  'Security',
  'Maintenance',
];

function longSection(index: number): string {
  const topic = LONG_TOPICS[index % LONG_TOPICS.length];
  const n = index + 1;
  return [
    `## ${n}. ${topic}`,
    '',
    `This section covers ${topic.toLowerCase()} in detail. ${ANSWER_SENTENCES.join(' ')}`,
    `The points below summarise what matters most for part ${n}.`,
    '',
    `- Keep the ${topic.toLowerCase()} steps small and repeatable.`,
    '- Check the result after every change before moving on.',
    `- Write down what you learned in step ${n} for the next person.`,
    '',
    '```ts',
    `export function step${n}(input: number[]): number {`,
    '  // Sums the values, skipping anything that is not finite.',
    '  return input.filter((value) => Number.isFinite(value)).reduce((sum, value) => sum + value, 0);',
    '}',
    '```',
    '',
    `${REASONING_SENTENCES.join(' ')}`,
    '',
  ].join('\n');
}

/** Whole sections are appended until the target is reached, so a code fence is never left open. */
export function longMarkdownText(targetTokens: number): string {
  let text = '# A long simulated answer\n\nThe following sections walk through the topic one part at a time.\n\n';
  let tokens = tokenize(text).length;
  for (let index = 0; tokens < targetTokens; index++) {
    const section = longSection(index);
    text += section;
    tokens += tokenize(section).length;
  }
  return text.trimEnd();
}
