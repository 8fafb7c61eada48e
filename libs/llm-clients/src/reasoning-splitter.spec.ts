import { describe, expect, it } from 'vitest';
import { streamChatWithReasoning } from './client';
import { ReasoningSplitter, type ReasoningSplitterOptions } from './reasoning-splitter';
import { renderPanels } from './testing/render-panels';
import type { LlmClient, LlmStreamEvent, RawStreamEvent } from './types';

function run(chunks: Array<string | RawStreamEvent>, options?: ReasoningSplitterOptions, finishReason = 'stop') {
  const splitter = new ReasoningSplitter(options);
  const events: LlmStreamEvent[] = [];
  for (const chunk of chunks) {
    events.push(...splitter.push(typeof chunk === 'string' ? { type: 'content', text: chunk } : chunk));
  }
  events.push(...splitter.push({ type: 'done', finishReason }));
  return { splitter, events, ...renderPanels(events) };
}

const native = (text: string): RawStreamEvent => ({ type: 'reasoning', text });
const perChar = (text: string): string[] => [...text];

describe('ReasoningSplitter', () => {
  describe('inline tags at the start of the answer', () => {
    it.each(['think', 'thinking', 'reasoning', 'thought'])('splits a <%s> block from the answer', (name) => {
      const out = run([`<${name}>\nPlan the reply.\n</${name}>\n\nThe answer.`]);
      expect(out.reasoning).toBe('Plan the reply.\n');
      expect(out.content).toBe('The answer.');
      expect(out.splitter.detectedOrphanClose).toBe(false);
    });

    it('sends text held back at the end (a lone "<") before the usage that followed it', () => {
      const usage: RawStreamEvent = { type: 'usage', promptTokens: 5, completionTokens: 1 };
      const out = run(['<', usage]);
      expect(out.events).toEqual([{ type: 'content', text: '<' }, usage, { type: 'done', finishReason: 'stop' }]);
      // Nothing held back: usage passes straight through.
      expect(run(['Hi', usage]).events.map((e) => e.type)).toEqual(['content', 'usage', 'done']);
    });

    it('matches tag names in any case', () => {
      expect(run(['<THINK>a</Think>b'])).toMatchObject({ reasoning: 'a', content: 'b' });
      expect(run(['<ThInKiNg>a</THINKING>b'])).toMatchObject({ reasoning: 'a', content: 'b' });
    });

    it('accepts attributes on the opening tag and whitespace before the closing >', () => {
      expect(run(['<think type="deep" budget=3>a</think >b'])).toMatchObject({ reasoning: 'a', content: 'b' });
      expect(run(['<thought\tx>a</thought\n>b'])).toMatchObject({ reasoning: 'a', content: 'b' });
    });

    it('drops leading whitespace before the opening tag', () => {
      expect(run(['\n  \n<think>a</think>b'])).toMatchObject({ reasoning: 'a', content: 'b' });
    });

    it('ends reasoning only at the closing tag of the same name', () => {
      const out = run(['<think>a</thinking> b </reasoning></think>c']);
      expect(out.reasoning).toBe('a</thinking> b </reasoning>');
      expect(out.content).toBe('c');
    });

    it('keeps a second block after the answer began as content', () => {
      const out = run(['<think>a</think>b<think>c</think>d']);
      expect(out.reasoning).toBe('a');
      expect(out.content).toBe('b<think>c</think>d');
    });

    it('treats words that merely start like a tag as content', () => {
      expect(run(['<thinker>hi</thinker>'])).toMatchObject({ reasoning: '', content: '<thinker>hi</thinker>' });
      expect(run(['<think/>x'])).toMatchObject({ reasoning: '', content: '<think/>x' });
      expect(run(['<think:x>y'])).toMatchObject({ reasoning: '', content: '<think:x>y' });
      // Attributes stay on one line, so a stray "<think about…" is released at the line's end.
      expect(run(['<think a\nb>x'])).toMatchObject({ reasoning: '', content: '<think a\nb>x' });
    });

    it('gives up on an attribute list that never closes', () => {
      const splitter = new ReasoningSplitter();
      expect(splitter.push({ type: 'content', text: '<think about it' })).toEqual([]);
      const released = splitter.push({ type: 'content', text: ' '.repeat(20) + 'x'.repeat(200) });
      expect(renderPanels(released).content).toBe('<think about it' + ' '.repeat(20) + 'x'.repeat(200));
      // Likewise for endless whitespace inside a would-be closing tag.
      const padded = 'a</think' + ' '.repeat(250);
      expect(run([padded, '>b'])).toMatchObject({ reasoning: '', content: padded + '>b' });
    });

    it('keeps an unclosed block as reasoning when the stream ends', () => {
      expect(run(['<think>\nStill thinking'])).toMatchObject({ reasoning: 'Still thinking', content: '' });
      // A closing tag cut off by the token limit is reasoning text too.
      expect(run(['<think>abc</thi'])).toMatchObject({ reasoning: 'abc</thi', content: '' });
    });

    it('trims the whitespace that opens the reasoning, across chunks', () => {
      expect(run(['<think>', '\n', '  ', 'a\n b', '</think>x'])).toMatchObject({ reasoning: 'a\n b', content: 'x' });
    });

    it('trims the blank lines that open the answer, across chunks', () => {
      expect(run(['<think>a</think>', '\n', '\n', 'Answer'])).toMatchObject({ reasoning: 'a', content: 'Answer' });
      expect(run(['<think>a</think>\n', '\nAnswer\n\nmore'])).toMatchObject({ content: 'Answer\n\nmore' });
      expect(run(['<think>a</think>\n\n'])).toMatchObject({ reasoning: 'a', content: '' });
    });
  });

  describe('tags later in the answer', () => {
    it('keeps a tag the answer talks about as content', () => {
      const text = 'Use the <think> tag to wrap reasoning, then close it with </think>.';
      const out = run([text]);
      expect(out).toMatchObject({ reasoning: '', content: text });
      expect(out.splitter.detectedOrphanClose).toBe(false);
      expect(out.events.some((event) => event.type === 'reclassify')).toBe(false);
    });

    it('keeps a block that follows answer text as content', () => {
      const out = run(['Answer first.\n<think>x</think>']);
      expect(out).toMatchObject({ reasoning: '', content: 'Answer first.\n<think>x</think>' });
      expect(out.splitter.detectedOrphanClose).toBe(false);
    });

    it('keeps leading whitespace of an answer that has no tag', () => {
      expect(run(['  ', '\nHello'])).toMatchObject({ reasoning: '', content: '  \nHello' });
    });
  });

  describe('streaming latency', () => {
    it('emits plain text at once', () => {
      const splitter = new ReasoningSplitter();
      expect(splitter.push({ type: 'content', text: 'Hello' })).toEqual([{ type: 'content', text: 'Hello' }]);
      expect(splitter.push({ type: 'content', text: ' world' })).toEqual([{ type: 'content', text: ' world' }]);
    });

    it('holds a possible tag prefix and releases it once it cannot be a tag', () => {
      const splitter = new ReasoningSplitter();
      expect(splitter.push({ type: 'content', text: '<th' })).toEqual([]);
      expect(splitter.push({ type: 'content', text: 'e end' })).toEqual([{ type: 'content', text: '<the end' }]);
    });

    it('releases text that no tag starts like at once', () => {
      const splitter = new ReasoningSplitter();
      expect(splitter.push({ type: 'content', text: '<tx' })).toEqual([{ type: 'content', text: '<tx' }]);
    });

    it('holds leading whitespace until the first visible character decides', () => {
      const splitter = new ReasoningSplitter();
      expect(splitter.push({ type: 'content', text: '\n\n' })).toEqual([]);
      expect(splitter.push({ type: 'content', text: 'Hi' })).toEqual([{ type: 'content', text: '\n\nHi' }]);
    });

    it('holds only the ambiguous tail of an answer chunk', () => {
      const splitter = new ReasoningSplitter();
      expect(splitter.push({ type: 'content', text: 'So a < b and x </' })).toEqual([
        { type: 'content', text: 'So a < b and x ' },
      ]);
      expect(splitter.push({ type: 'content', text: 'div>' })).toEqual([{ type: 'content', text: '</div>' }]);
    });

    it('streams reasoning as it comes, holding only a possible closing tag', () => {
      const splitter = new ReasoningSplitter();
      expect(splitter.push({ type: 'content', text: '<think>' })).toEqual([]);
      expect(splitter.push({ type: 'content', text: 'step one </th' })).toEqual([
        { type: 'reasoning', text: 'step one ' },
      ]);
      expect(splitter.push({ type: 'content', text: 'ink>\n' })).toEqual([]);
      expect(splitter.push({ type: 'content', text: 'Done' })).toEqual([{ type: 'content', text: 'Done' }]);
    });

    it('recognises tags fed one character at a time without leaking fragments', () => {
      const out = run(perChar('  <Thinking kind="x">\nweigh it\n</thinking >\n\nIt is 4.'));
      expect(out).toMatchObject({ reasoning: 'weigh it\n', content: 'It is 4.' });
      for (const event of out.events) {
        if (event.type === 'content') expect(event.text).not.toMatch(/[<>]/);
        if (event.type === 'reasoning') expect(event.text).not.toMatch(/[<>]/);
      }
    });
  });

  describe('orphan closing tag', () => {
    it('reclassifies everything shown so far as reasoning', () => {
      const out = run(['Let me think.', ' Yes.', '</think>', '\n\nThe answer']);
      expect(out.events).toEqual([
        { type: 'content', text: 'Let me think.' },
        { type: 'content', text: ' Yes.' },
        { type: 'reclassify', reasoning: 'Let me think. Yes.', content: '' },
        { type: 'content', text: 'The answer' },
        { type: 'done', finishReason: 'stop' },
      ]);
      expect(out.splitter.detectedOrphanClose).toBe(true);
      expect(out.splitter.reasoning).toBe('Let me think. Yes.');
      expect(out.splitter.content).toBe('The answer');
    });

    it('carries the rest of the same push in the reclassify payload', () => {
      const out = run(['abc', 'def</think>\n\nxyz']);
      expect(out.events).toEqual([
        { type: 'content', text: 'abc' },
        { type: 'reclassify', reasoning: 'abcdef', content: 'xyz' },
        { type: 'done', finishReason: 'stop' },
      ]);
    });

    it('holds a possible closing tag at the end of an answer chunk', () => {
      const splitter = new ReasoningSplitter();
      expect(splitter.push({ type: 'content', text: 'abc</' })).toEqual([{ type: 'content', text: 'abc' }]);
      expect(splitter.push({ type: 'content', text: 'think>x' })).toEqual([
        { type: 'reclassify', reasoning: 'abc', content: 'x' },
      ]);
    });

    it('recognises any default closing tag name, one character at a time', () => {
      const out = run(perChar('\n  weigh options</THOUGHT>\n\nPick B.'));
      expect(out).toMatchObject({ reasoning: 'weigh options', content: 'Pick B.' });
      expect(out.events.filter((event) => event.type === 'reclassify')).toHaveLength(1);
      expect(out.splitter.detectedOrphanClose).toBe(true);
    });

    it('reports an orphan at the very start without a reclassify, since nothing was shown', () => {
      const out = run(['</think>\n\nanswer']);
      expect(out.events).toEqual([
        { type: 'content', text: 'answer' },
        { type: 'done', finishReason: 'stop' },
      ]);
      expect(out.splitter.detectedOrphanClose).toBe(true);
    });

    it('only reclassifies at the first closing tag', () => {
      const out = run(['a</think>b</think>c</thinking>d']);
      expect(out).toMatchObject({ reasoning: 'a', content: 'b</think>c</thinking>d' });
      expect(out.events.filter((event) => event.type === 'reclassify')).toHaveLength(1);
    });

    it('keeps closing tags after a proper block as content', () => {
      const out = run(['<think>a</think>b</think>c']);
      expect(out).toMatchObject({ reasoning: 'a', content: 'b</think>c' });
      expect(out.splitter.detectedOrphanClose).toBe(false);
    });

    it('keeps a closing tag written as a word of a sentence as text, and stops watching for orphans', () => {
      const prose = [
        'In DeepSeek-R1 output, the reasoning ends with the ',
        '</think> tag, after which the answer follows.',
      ];
      const out = run(prose);
      expect(out).toMatchObject({
        reasoning: '',
        content: 'In DeepSeek-R1 output, the reasoning ends with the </think> tag, after which the answer follows.',
      });
      expect(out.events.some((event) => event.type === 'reclassify')).toBe(false);
      expect(out.splitter.detectedOrphanClose).toBe(false);
      // Cut anywhere, one character at a time, it reads the same.
      expect(run(perChar(prose.join('')))).toMatchObject({ reasoning: '', content: prose.join('') });
      // In code quotes, before punctuation, and a later real-looking close is text too.
      expect(run(['Strip the `</think>` marker.'])).toMatchObject({
        reasoning: '',
        content: 'Strip the `</think>` marker.',
      });
      expect(run(['It ends at </think>. Then\n</think>\nmore'])).toMatchObject({
        reasoning: '',
        content: 'It ends at </think>. Then\n</think>\nmore',
      });
      // Cut right after the tag: the decision waits for the next character.
      const splitter = new ReasoningSplitter();
      expect(splitter.push({ type: 'content', text: 'the </think>' })).toEqual([{ type: 'content', text: 'the ' }]);
      expect(splitter.push({ type: 'content', text: ' tag' })).toEqual([{ type: 'content', text: '</think> tag' }]);
    });

    it('still takes a block end after a space at a line end, at the end of the stream or running into the answer', () => {
      expect(run(['Weigh it. </think>'])).toMatchObject({ reasoning: 'Weigh it. ', content: '' });
      expect(run(['Weigh it. </think>\n\nAnswer'])).toMatchObject({ reasoning: 'Weigh it. ', content: 'Answer' });
      expect(run(['Weigh it. </think>Answer'])).toMatchObject({ reasoning: 'Weigh it. ', content: 'Answer' });
      expect(run(['Weigh it.</think> Answer'])).toMatchObject({ reasoning: 'Weigh it.', content: 'Answer' });
    });

    it('keeps a held opening-tag prefix at the end of the stream as content', () => {
      expect(run(['x <thi'])).toMatchObject({ reasoning: '', content: 'x <thi' });
      expect(run(['x </thi'])).toMatchObject({ reasoning: '', content: 'x </thi' });
      expect(run(['<th'])).toMatchObject({ reasoning: '', content: '<th' });
    });
  });

  describe('startsInReasoning', () => {
    const learned = { startsInReasoning: true };

    it('starts in reasoning and ends it at the closing tag', () => {
      const out = run(['\nHmm', ', four', '</think>', '\n\nAnswer'], learned);
      expect(out.events).toEqual([
        { type: 'reasoning', text: 'Hmm' },
        { type: 'reasoning', text: ', four' },
        { type: 'content', text: 'Answer' },
        { type: 'done', finishReason: 'stop' },
      ]);
      expect(out.splitter.detectedOrphanClose).toBe(true);
    });

    it('swallows an explicit opening tag at the start', () => {
      const out = run(perChar('\n<think>\nHmm</think>Answer'), learned);
      expect(out).toMatchObject({ reasoning: 'Hmm', content: 'Answer' });
      expect(out.splitter.detectedOrphanClose).toBe(false);
    });

    it('keeps a stream cut off by the token limit before its closing tag as reasoning', () => {
      for (const finish of ['length', 'max_tokens']) {
        expect(run(['thinking on and on'], learned, finish)).toMatchObject({
          reasoning: 'thinking on and on',
          content: '',
        });
      }
      expect(run(['<think>explicitly opened'], learned, 'stop')).toMatchObject({
        reasoning: 'explicitly opened',
        content: '',
      });
    });

    it('makes a stream that finished on its own without any closing tag the answer (the setting did not hold)', () => {
      const out = run(['Plain answer', ' number 2.'], learned, 'stop');
      expect(out.events).toEqual([
        { type: 'reasoning', text: 'Plain answer' },
        { type: 'reasoning', text: ' number 2.' },
        { type: 'reclassify', reasoning: '', content: 'Plain answer number 2.' },
        { type: 'done', finishReason: 'stop' },
      ]);
      expect(out).toMatchObject({ reasoning: '', content: 'Plain answer number 2.' });
      expect(out.splitter.detectedOrphanClose).toBe(false);
    });

    it('falls back to native reasoning when the server sends it', () => {
      const out = run([native('native thoughts'), 'Answer</think> stays'], learned);
      expect(out).toMatchObject({ reasoning: 'native thoughts', content: 'Answer</think> stays' });
    });

    it('ends at any default closing tag, or at the custom one', () => {
      expect(run(['a</reasoning>b'], learned)).toMatchObject({ reasoning: 'a', content: 'b' });
      const custom = { ...learned, tags: { mode: 'custom' as const, open: '[[', close: ']]' } };
      expect(run(['a</think>]]b'], custom)).toMatchObject({ reasoning: 'a</think>', content: 'b' });
    });

    it('is ignored when inline tags are off', () => {
      expect(run(['a</think>b'], { ...learned, tags: { mode: 'off' } })).toMatchObject({
        reasoning: '',
        content: 'a</think>b',
      });
    });
  });

  describe('tag settings', () => {
    it('passes content through untouched when tags are off', () => {
      const out = run(['  <think>a</think>', 'b'], { tags: { mode: 'off' } });
      expect(out).toMatchObject({ reasoning: '', content: '  <think>a</think>b' });
      expect(run(['a</think>b'], { tags: { mode: 'off' } }).splitter.detectedOrphanClose).toBe(false);
    });

    it('still passes native reasoning when tags are off', () => {
      expect(run([native('r'), 'c'], { tags: { mode: 'off' } })).toMatchObject({ reasoning: 'r', content: 'c' });
    });

    const custom = { tags: { mode: 'custom' as const, open: '<|begin_of_thought|>', close: '<|end_of_thought|>' } };

    it('uses exactly the custom pair, case-insensitively', () => {
      expect(run(['<|begin_of_thought|>\nA<|end_of_thought|>\n\nB'], custom)).toMatchObject({
        reasoning: 'A',
        content: 'B',
      });
      expect(run(perChar('<|BEGIN_of_thought|>A<|End_Of_Thought|>B'), custom)).toMatchObject({
        reasoning: 'A',
        content: 'B',
      });
    });

    it('ignores the default tags under a custom pair', () => {
      expect(run(['<think>a</think>b'], custom)).toMatchObject({ reasoning: '', content: '<think>a</think>b' });
    });

    it('detects an orphan custom closing tag', () => {
      const out = run(['why', '<|end_of', '_thought|>\n\nbecause'], custom);
      expect(out).toMatchObject({ reasoning: 'why', content: 'because' });
      expect(out.splitter.detectedOrphanClose).toBe(true);
    });

    it('refuses an empty custom tag', () => {
      expect(() => new ReasoningSplitter({ tags: { mode: 'custom', open: '', close: '</x>' } })).toThrow(RangeError);
    });
  });

  describe('native reasoning', () => {
    it('passes native reasoning through and leaves tags in content alone', () => {
      const out = run([native('Native '), native('thoughts'), '<think>x</think>y']);
      expect(out.events).toEqual([
        { type: 'reasoning', text: 'Native ' },
        { type: 'reasoning', text: 'thoughts' },
        { type: 'content', text: '<think>x</think>y' },
        { type: 'done', finishReason: 'stop' },
      ]);
    });

    it('disables orphan detection', () => {
      const out = run([native('r'), 'a</think>b']);
      expect(out).toMatchObject({ reasoning: 'r', content: 'a</think>b' });
      expect(out.splitter.detectedOrphanClose).toBe(false);
    });

    it('arriving after some content keeps that content and releases what was held as content', () => {
      const out = run(['Hi <th', native('r'), 'ink>x</think>']);
      expect(out.events).toEqual([
        { type: 'content', text: 'Hi ' },
        { type: 'content', text: '<th' },
        { type: 'reasoning', text: 'r' },
        { type: 'content', text: 'ink>x</think>' },
        { type: 'done', finishReason: 'stop' },
      ]);
    });

    it('arriving inside an inline block ends tag parsing there', () => {
      const out = run(['<think>a</th', native('r'), 'ink>b']);
      expect(out).toMatchObject({ reasoning: 'a</thr', content: 'ink>b' });
    });

    it('releases held leading whitespace as content', () => {
      expect(run(['\n', native('r'), 'c'])).toMatchObject({ reasoning: 'r', content: '\nc' });
    });

    it('ignores empty native reasoning, which some servers always send', () => {
      const splitter = new ReasoningSplitter();
      expect(splitter.push(native(''))).toEqual([]);
      expect(renderPanels(splitter.push({ type: 'content', text: '<think>a</think>b' }))).toEqual({
        reasoning: 'a',
        content: 'b',
      });
    });
  });

  describe('terminal and metadata events', () => {
    it('passes usage on unchanged after the held text, which it flushes before done', () => {
      const splitter = new ReasoningSplitter();
      const usage: RawStreamEvent = { type: 'usage', promptTokens: 3, completionTokens: 5, estimated: true };
      expect(splitter.push({ type: 'content', text: 'x <th' })).toEqual([{ type: 'content', text: 'x ' }]);
      expect(splitter.push(usage)).toEqual([]);
      expect(splitter.push({ type: 'done', finishReason: 'length' })).toEqual([
        { type: 'content', text: '<th' },
        usage,
        { type: 'done', finishReason: 'length' },
      ]);
    });

    it('flushes held reasoning before an error', () => {
      const splitter = new ReasoningSplitter();
      splitter.push({ type: 'content', text: '<think>abc</' });
      const error: RawStreamEvent = { type: 'error', kind: 'network', message: 'socket hang up' };
      expect(splitter.push(error)).toEqual([{ type: 'reasoning', text: '</' }, error]);
    });

    it('never emits an empty text event', () => {
      const streams = [
        ['', '<think>', '', '\n', '</think>', '\n\n', ''],
        ['\n\n', '</think>', '\n', 'x'],
        ['<', 'think', '>', '</', 'think', '>'],
        ['', native(''), ''],
      ];
      for (const chunks of streams) {
        const out = run(chunks);
        for (const event of out.events) {
          if (event.type === 'content' || event.type === 'reasoning') expect(event.text).not.toBe('');
        }
      }
      expect(new ReasoningSplitter().push({ type: 'content', text: '' })).toEqual([]);
      expect(new ReasoningSplitter().flush()).toEqual([]);
    });

    it('flushes nothing twice', () => {
      const splitter = new ReasoningSplitter();
      splitter.push({ type: 'content', text: '<th' });
      expect(splitter.flush()).toEqual([{ type: 'content', text: '<th' }]);
      expect(splitter.flush()).toEqual([]);
    });
  });

  describe('streamChatWithReasoning over any LlmClient', () => {
    /** A client of someone else's making: only its raw stream is used. */
    function source(events: RawStreamEvent[]): LlmClient {
      return {
        listModels: () => Promise.resolve([]),
        chat: () => Promise.reject(new Error('not used')),
        async *streamChat() {
          yield* events;
        },
      };
    }

    const splitReasoning = (client: LlmClient, options?: ReasoningSplitterOptions) =>
      streamChatWithReasoning(client, { model: 'm', messages: [] }, options);

    async function collect(iterable: AsyncIterable<LlmStreamEvent>): Promise<LlmStreamEvent[]> {
      const events: LlmStreamEvent[] = [];
      for await (const event of iterable) events.push(event);
      return events;
    }

    it('normalises a whole stream, ending with its terminal event', async () => {
      const events = await collect(
        splitReasoning(
          source([
            { type: 'content', text: '<thi' },
            { type: 'content', text: 'nk>a</think>\n' },
            { type: 'content', text: '\nb' },
            { type: 'usage', promptTokens: 1, completionTokens: 2 },
            { type: 'done', finishReason: 'stop' },
          ]),
        ),
      );
      expect(events).toEqual([
        { type: 'reasoning', text: 'a' },
        { type: 'content', text: 'b' },
        { type: 'usage', promptTokens: 1, completionTokens: 2 },
        { type: 'done', finishReason: 'stop' },
      ]);
    });

    it('releases held text when the source ends without a terminal event', async () => {
      const events = await collect(splitReasoning(source([{ type: 'content', text: 'a </thi' }])));
      expect(events).toEqual([
        { type: 'content', text: 'a ' },
        { type: 'content', text: '</thi' },
      ]);
    });

    it('passes options through', async () => {
      const events = await collect(
        splitReasoning(source([{ type: 'content', text: 'hm</think>ok' }]), { startsInReasoning: true }),
      );
      expect(renderPanels(events)).toEqual({ reasoning: 'hm', content: 'ok' });
    });
  });
});
