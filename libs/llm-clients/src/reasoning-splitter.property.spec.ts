import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReasoningSplitter, type ReasoningSplitterOptions } from './reasoning-splitter';
import { renderPanels } from './testing/render-panels';
import type { LlmStreamEvent } from './types';

/**
 * Chunk boundaries are the network's choice, not the model's: whatever the cuts, the user must end up with the
 * same reasoning and answer, and must never see a tag fragment on the way.
 */

interface Outcome {
  reasoning: string;
  content: string;
  orphan: boolean;
}

interface Scenario {
  text: string;
  options: ReasoningSplitterOptions;
  expected: Outcome;
}

function run(chunks: string[], options: ReasoningSplitterOptions): { outcome: Outcome; events: LlmStreamEvent[] } {
  const splitter = new ReasoningSplitter(options);
  const events: LlmStreamEvent[] = [];
  for (const text of chunks) events.push(...splitter.push({ type: 'content', text }));
  events.push(...splitter.push({ type: 'done', finishReason: 'stop' }));

  // Stream invariants every consumer relies on, whatever the cuts.
  expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
  expect(events.filter((event) => event.type === 'done')).toHaveLength(1);
  expect(events.filter((event) => event.type === 'reclassify').length).toBeLessThanOrEqual(1);
  for (const event of events) {
    if (event.type === 'reasoning' || event.type === 'content') expect(event.text).not.toBe('');
  }
  const shown = renderPanels(events);
  expect({ reasoning: splitter.reasoning, content: splitter.content }).toEqual(shown);
  return { outcome: { ...shown, orphan: splitter.detectedOrphanClose }, events };
}

function chunksAt(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(text.slice(from, point));
    from = point;
  }
  chunks.push(text.slice(from));
  return chunks;
}

/** The one-chunk result must be the expected one, and every single cut and the given multi-cut must agree. */
function checkSplits(scenario: Scenario, multiCuts: number[][]): void {
  const { text, options, expected } = scenario;
  expect(run([text], options).outcome).toEqual(expected);
  for (let cut = 0; cut <= text.length; cut++) {
    expect(run([text.slice(0, cut), text.slice(cut)], options).outcome).toEqual(expected);
  }
  for (const cuts of multiCuts) expect(run(chunksAt(text, cuts), options).outcome).toEqual(expected);
  expect(run([...text], options).outcome).toEqual(expected);
}

const NAMES = ['think', 'thinking', 'reasoning', 'thought'];
const CUSTOM = { mode: 'custom' as const, open: '<|begin_of_thought|>', close: '<|end_of_thought|>' };

/** Superset of what the splitter recognises as a default tag, so a text passing it is surely tag-free. */
const ANY_DEFAULT_TAG = /<\/?(?:think|thinking|reasoning|thought)(?:[\s/][^<>]*)?>/i;
const closeOf = (name: string): RegExp => new RegExp(`</${name}\\s*>`, 'i');
const hasLiteral = (text: string, literal: string): boolean => text.toLowerCase().includes(literal.toLowerCase());

// Pieces chosen to build near-miss tags, real tags, surrogate pairs and whitespace runs.
const piece = fc.constantFrom(
  'a',
  'b',
  'x y',
  ' ',
  '\n',
  '\t',
  '<',
  '/',
  '>',
  '|',
  'think',
  'T',
  '<think>',
  '</think>',
  '</',
  '<th',
  '<|end',
  'é',
  '😀',
);
const freeText = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
const leadingSpace = fc.constantFrom('', ' ', '\n', '\n\n', ' \t\n ');
const attributes = fc.constantFrom('', ' type="deep"', '\tbudget=3', ' a b');
const closingSpace = fc.constantFrom('', ' ', '\n', ' \t');

function anyCase(word: string): fc.Arbitrary<string> {
  return fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((upper) => [...word].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''));
}

const casedName = fc
  .constantFrom(...NAMES)
  .chain((name) => fc.record({ name: fc.constant(name), open: anyCase(name), close: anyCase(name) }));

const blockAtStart: fc.Arbitrary<Scenario> = fc
  .record({
    ws: leadingSpace,
    tag: casedName,
    attrs: attributes,
    closeWs: closingSpace,
    reasoning: freeText,
    content: freeText,
  })
  .filter(({ tag, reasoning }) => !closeOf(tag.name).test(reasoning))
  .map(({ ws, tag, attrs, closeWs, reasoning, content }) => ({
    text: `${ws}<${tag.open}${attrs}>${reasoning}</${tag.close}${closeWs}>${content}`,
    options: {},
    expected: { reasoning: reasoning.trimStart(), content: content.trimStart(), orphan: false },
  }));

const unclosedBlock: fc.Arbitrary<Scenario> = fc
  .record({ ws: leadingSpace, tag: casedName, attrs: attributes, reasoning: freeText })
  .filter(({ tag, reasoning }) => !closeOf(tag.name).test(reasoning))
  .map(({ ws, tag, attrs, reasoning }) => ({
    text: `${ws}<${tag.open}${attrs}>${reasoning}`,
    options: {},
    expected: { reasoning: reasoning.trimStart(), content: '', orphan: false },
  }));

/** A closing tag after a space or a backtick may be a word of a sentence (a mention, kept as text): not an orphan. */
const endsLikeAWord = (text: string) => /[ \t`]$/.test(text);

const orphanClose: fc.Arbitrary<Scenario> = fc
  .record({ ws: leadingSpace, tag: casedName, closeWs: closingSpace, reasoning: freeText, content: freeText })
  .filter(({ reasoning }) => !ANY_DEFAULT_TAG.test(reasoning) && !endsLikeAWord(reasoning))
  .map(({ ws, tag, closeWs, reasoning, content }) => ({
    text: `${ws}${reasoning}</${tag.close}${closeWs}>${content}`,
    options: {},
    expected: { reasoning: reasoning.trimStart(), content: content.trimStart(), orphan: true },
  }));

const plainAnswer: fc.Arbitrary<Scenario> = fc
  .record({ ws: leadingSpace, content: freeText })
  .filter(({ content }) => !ANY_DEFAULT_TAG.test(content))
  .map(({ ws, content }) => ({
    text: ws + content,
    options: {},
    expected: { reasoning: '', content: ws + content, orphan: false },
  }));

/** A block after answer text is quoted, and the opening tag rules out a later orphan close. */
const blockMidAnswer: fc.Arbitrary<Scenario> = fc
  .record({ prefix: freeText, tag: casedName, reasoning: freeText, rest: freeText })
  .filter(({ prefix }) => prefix.trim() !== '' && !ANY_DEFAULT_TAG.test(prefix))
  .map(({ prefix, tag, reasoning, rest }) => {
    const text = `${prefix}<${tag.open}>${reasoning}</${tag.close}>${rest}`;
    return { text, options: {}, expected: { reasoning: '', content: text, orphan: false } };
  });

const learnedOrphan: fc.Arbitrary<Scenario> = fc
  .record({ tag: casedName, explicitOpen: fc.boolean(), ws: leadingSpace, reasoning: freeText, content: freeText })
  .filter(({ reasoning }) => !ANY_DEFAULT_TAG.test(reasoning))
  .map(({ tag, explicitOpen, ws, reasoning, content }) => ({
    text: `${ws}${explicitOpen ? `<${tag.open}>` : ''}${reasoning}</${tag.close}>${content}`,
    options: { startsInReasoning: true },
    expected: { reasoning: reasoning.trimStart(), content: content.trimStart(), orphan: !explicitOpen },
  }));

const customPair: fc.Arbitrary<Scenario> = fc
  .record({
    shape: fc.constantFrom('block', 'orphan', 'plain'),
    ws: leadingSpace,
    open: anyCase(CUSTOM.open),
    close: anyCase(CUSTOM.close),
    reasoning: freeText,
    content: freeText,
  })
  .filter(({ shape, reasoning, content }) =>
    shape === 'block'
      ? !hasLiteral(reasoning, CUSTOM.close)
      : ![CUSTOM.open, CUSTOM.close].some((tag) => hasLiteral(shape === 'orphan' ? reasoning : content, tag)) &&
        !(shape === 'orphan' && endsLikeAWord(reasoning)),
  )
  .map(({ shape, ws, open, close, reasoning, content }): Scenario => {
    const options = { tags: CUSTOM };
    if (shape === 'block') {
      return {
        text: `${ws}${open}${reasoning}${close}${content}`,
        options,
        expected: { reasoning: reasoning.trimStart(), content: content.trimStart(), orphan: false },
      };
    }
    if (shape === 'orphan') {
      return {
        text: `${ws}${reasoning}${close}${content}`,
        options,
        expected: { reasoning: reasoning.trimStart(), content: content.trimStart(), orphan: true },
      };
    }
    return { text: ws + content, options, expected: { reasoning: '', content: ws + content, orphan: false } };
  });

const tagsOff: fc.Arbitrary<Scenario> = fc
  .record({ ws: leadingSpace, text: freeText, startsInReasoning: fc.boolean() })
  .map(({ ws, text, startsInReasoning }) => ({
    text: ws + text,
    options: { tags: { mode: 'off' }, startsInReasoning },
    expected: { reasoning: '', content: ws + text, orphan: false },
  }));

const multiCuts = fc.array(fc.array(fc.nat({ max: 400 }), { minLength: 1, maxLength: 10 }), {
  minLength: 1,
  maxLength: 3,
});

describe('ReasoningSplitter chunking properties', () => {
  const representative: Scenario[] = [
    {
      text: '<think>\nThe user asks for 2+2.\n</think>\n\n2 + 2 = 4.',
      options: {},
      expected: { reasoning: 'The user asks for 2+2.\n', content: '2 + 2 = 4.', orphan: false },
    },
    {
      text: '  <Thinking type="brief">\nshort</thinking >\n\nDone <think>here</think>.',
      options: {},
      expected: { reasoning: 'short', content: 'Done <think>here</think>.', orphan: false },
    },
    {
      text: 'Okay, the user wants a haiku.\n</think>\n\nAutumn moonlight </think>',
      options: {},
      expected: { reasoning: 'Okay, the user wants a haiku.\n', content: 'Autumn moonlight </think>', orphan: true },
    },
    {
      text: 'Use <think> tags like this: <think>x</think>.',
      options: {},
      expected: { reasoning: '', content: 'Use <think> tags like this: <think>x</think>.', orphan: false },
    },
    {
      text: 'a < b </ c <th </thinker> <thinker> <tx',
      options: {},
      expected: { reasoning: '', content: 'a < b </ c <th </thinker> <thinker> <tx', orphan: false },
    },
    {
      text: '<think>\nunfinished thoughts </thi',
      options: {},
      expected: { reasoning: 'unfinished thoughts </thi', content: '', orphan: false },
    },
    {
      text: '<|BEGIN_OF_THOUGHT|>\nHmm <think> </think><|end_of_thought|>\n\nAnswer',
      options: { tags: CUSTOM },
      expected: { reasoning: 'Hmm <think> </think>', content: 'Answer', orphan: false },
    },
    {
      text: '\nHmm, let me see.</think>\n\nYes.',
      options: { startsInReasoning: true },
      expected: { reasoning: 'Hmm, let me see.', content: 'Yes.', orphan: true },
    },
    {
      text: '<think>\nHmm</think>\n\nYes.',
      options: { startsInReasoning: true },
      expected: { reasoning: 'Hmm', content: 'Yes.', orphan: false },
    },
    {
      text: '<think>a</think>b',
      options: { tags: { mode: 'off' } },
      expected: { reasoning: '', content: '<think>a</think>b', orphan: false },
    },
  ];

  it.each(representative.map((scenario) => [JSON.stringify(scenario.text), scenario] as const))(
    'gives the same split of %s at every cut',
    (_label, scenario) => {
      fc.assert(
        fc.property(multiCuts, (cuts) => checkSplits(scenario, cuts)),
        { numRuns: 15 },
      );
    },
  );

  const generated: Array<[string, fc.Arbitrary<Scenario>]> = [
    ['a block at the start', blockAtStart],
    ['an unclosed block', unclosedBlock],
    ['an orphan closing tag', orphanClose],
    ['an answer without tags', plainAnswer],
    ['a block after answer text', blockMidAnswer],
    ['a learned orphan close', learnedOrphan],
    ['a custom tag pair', customPair],
    ['tags turned off', tagsOff],
  ];

  it.each(generated)('gives the expected split of %s at every cut', (_label, scenarios) => {
    fc.assert(
      fc.property(scenarios, multiCuts, (scenario, cuts) => checkSplits(scenario, cuts)),
      { numRuns: 60 },
    );
  });

  // Text without angle brackets around a block at the start: any '<' or '>' the user sees is a leaked tag piece.
  const bracketFree = fc
    .array(fc.constantFrom('a', ' ', '\n', 'think', '/', 'é'), { maxLength: 8 })
    .map((parts) => parts.join(''));

  it('never shows a fragment of a recognised tag, in any event, at any cut', () => {
    const scenario = fc
      .record({
        ws: leadingSpace,
        tag: casedName,
        attrs: attributes,
        closeWs: closingSpace,
        orphan: fc.boolean(),
        reasoning: bracketFree,
        content: bracketFree,
      })
      .filter(({ orphan, reasoning }) => !orphan || !endsLikeAWord(reasoning))
      .map(({ ws, tag, attrs, closeWs, orphan, reasoning, content }) => {
        const open = orphan ? '' : `<${tag.open}${attrs}>`;
        return `${ws}${open}${reasoning}</${tag.close}${closeWs}>${content}`;
      });
    fc.assert(
      fc.property(scenario, multiCuts, (text, cutsList) => {
        const splits = [[text], [...text], ...cutsList.map((cuts) => chunksAt(text, cuts))];
        for (let cut = 0; cut <= text.length; cut++) splits.push([text.slice(0, cut), text.slice(cut)]);
        for (const chunks of splits) {
          for (const event of run(chunks, {}).events) {
            const shown =
              event.type === 'reclassify'
                ? event.reasoning + event.content
                : event.type === 'reasoning' || event.type === 'content'
                  ? event.text
                  : '';
            expect(shown).not.toMatch(/[<>]/);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
