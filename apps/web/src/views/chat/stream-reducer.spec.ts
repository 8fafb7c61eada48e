import type { GenerationEvent, Message } from '@modelyard/contracts';
import { describe, expect, it } from 'vitest';
import { applyGenerationEvent, initialStreamState, mergeStream, placedFrom, type StreamState } from './stream-reducer';

const meta: GenerationEvent = {
  event: 'meta',
  data: {
    generationId: 'g1',
    sessionId: 's1',
    userMessageId: 'u1',
    assistantMessageId: 'a1',
    model: 'mock-reasoning',
    modelConfigId: 'c1',
  },
};

const message: Message = {
  id: 'a1',
  sessionId: 's1',
  parentId: 'u1',
  role: 'assistant',
  content: 'stale',
  status: 'streaming',
  createdAt: '2026-01-01T00:00:00.000Z',
};

function run(events: GenerationEvent[], clock: number[] = []): StreamState {
  return events.reduce(
    (state, event, i) => applyGenerationEvent(state, event, clock[i] ?? 1000 + i),
    initialStreamState(),
  );
}

describe('stream reducer', () => {
  it('appends reasoning and content deltas and records when each started', () => {
    const state = run(
      [
        meta,
        { event: 'reasoning', data: { text: 'Let me ' } },
        { event: 'reasoning', data: { text: 'think.' } },
        { event: 'content', data: { text: 'The answer' } },
        { event: 'content', data: { text: ' is 42.' } },
      ],
      [0, 100, 200, 3300, 3400],
    );
    expect(state).toMatchObject({
      generationId: 'g1',
      assistantMessageId: 'a1',
      userMessageId: 'u1',
      model: 'mock-reasoning',
      reasoning: 'Let me think.',
      content: 'The answer is 42.',
      status: 'streaming',
      reasoningStartedAt: 100,
      answerStartedAt: 3300,
    });
  });

  it('takes the time to first token the first text carries, of either kind, and keeps the first', () => {
    const thought = run(
      [
        meta,
        { event: 'reasoning', data: { text: 'Hm.', ttftMs: 640 } },
        { event: 'content', data: { text: 'Yes', reasoningMs: 900 } },
      ],
      [1, 2, 3],
    );
    expect(thought.ttftMs).toBe(640);
    const answered = run([meta, { event: 'content', data: { text: 'Yes', ttftMs: 210 } }], [1, 2]);
    expect(answered.ttftMs).toBe(210);
    expect(applyGenerationEvent(answered, { event: 'content', data: { text: '!', ttftMs: 999 } }).ttftMs).toBe(210);
  });

  it('places a replayed thinking and answer by the server’s figures from the generation’s start', () => {
    // Started at 1,000 on the server; first token 500 ms later; thought 2,000 ms; replayed all at once at 9,000.
    const replayed = run(
      [
        meta,
        { event: 'reasoning', data: { text: 'Hm.', ttftMs: 500 } },
        { event: 'content', data: { text: 'Yes', reasoningMs: 2_000 } },
      ],
      [9_000, 9_000, 9_000],
    );
    expect(placedFrom(replayed, 1_000)).toMatchObject({ reasoningStartedAt: 1_500, answerStartedAt: 3_500 });
    // Without the server's first-token time, no later than the start; live times that are earlier stay.
    const unknown = { ...replayed, ttftMs: null, reasoningMs: null };
    expect(placedFrom(unknown, 1_000)).toMatchObject({ reasoningStartedAt: 1_000, answerStartedAt: 9_000 });
    const live = { ...replayed, reasoningStartedAt: 1_200, answerStartedAt: 2_000 };
    expect(placedFrom(live, 1_000)).toBe(live);
  });

  it('takes the thinking time the first answer text carries (a replay after a reload has no real clock)', () => {
    const replayed = run(
      [
        meta,
        { event: 'reasoning', data: { text: 'Let me think.' } },
        { event: 'content', data: { text: 'The answer', reasoningMs: 12_300 } },
        { event: 'content', data: { text: ' is 42.' } },
      ],
      [500, 500, 501, 501],
    );
    expect(replayed.reasoningMs).toBe(12_300);
    expect(mergeStream(message, replayed).reasoningMs).toBe(12_300);
    // `done` keeps it when it has none of its own, and a reclassify that takes the thinking away drops it.
    const ended = applyGenerationEvent(replayed, {
      event: 'done',
      data: { status: 'complete', ttftMs: 1, totalMs: 2, reasoningMs: null },
    });
    expect(ended.reasoningMs).toBe(12_300);
    const unthought = applyGenerationEvent(replayed, {
      event: 'reclassify',
      data: { reasoning: '', content: 'Let me think. The answer is 42.' },
    });
    expect(unthought.reasoningMs).toBeNull();
  });

  it('reclassify replaces both texts wholesale', () => {
    const state = run([
      meta,
      { event: 'content', data: { text: 'hmm, thinking out loud</think>' } },
      { event: 'reclassify', data: { reasoning: 'hmm, thinking out loud', content: '' } },
      { event: 'content', data: { text: 'Answer.' } },
    ]);
    expect(state.reasoning).toBe('hmm, thinking out loud');
    expect(state.content).toBe('Answer.');
    expect(state.reasoningStartedAt).not.toBeNull();
  });

  it('done ends the stream with its status and timings; later events are ignored', () => {
    const state = run([
      meta,
      { event: 'content', data: { text: 'Partial' } },
      { event: 'usage', data: { promptTokens: 12, completionTokens: 3 } },
      { event: 'done', data: { status: 'stopped', ttftMs: 150, totalMs: 900, reasoningMs: null } },
      { event: 'content', data: { text: ' more' } },
    ]);
    expect(state).toMatchObject({
      content: 'Partial',
      status: 'stopped',
      usage: { promptTokens: 12, completionTokens: 3 },
      ttftMs: 150,
      totalMs: 900,
      reasoningMs: null,
    });
  });

  it('keeps why the model stopped, so an answer cut at the token limit can say so', () => {
    const state = run([
      meta,
      { event: 'content', data: { text: 'A long answ' } },
      {
        event: 'done',
        data: { status: 'complete', ttftMs: 3, totalMs: 9, reasoningMs: null, finishReason: 'length' },
      },
    ]);
    expect(state.finishReason).toBe('length');
    const stored: Message = {
      id: 'a1',
      sessionId: 's1',
      parentId: 'u1',
      role: 'assistant',
      content: '',
      status: 'streaming',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    expect(mergeStream(stored, state).finishReason).toBe('length');
  });

  it('error is terminal and keeps the partial answer', () => {
    const state = run([
      meta,
      { event: 'content', data: { text: 'Half an ans' } },
      { event: 'error', data: { code: 'UPSTREAM_NETWORK', message: 'The model server closed the connection' } },
    ]);
    expect(state.status).toBe('error');
    expect(state.content).toBe('Half an ans');
    expect(state.error).toEqual({ code: 'UPSTREAM_NETWORK', message: 'The model server closed the connection' });
  });

  it('does not touch the state it was given', () => {
    const before = initialStreamState();
    applyGenerationEvent(before, { event: 'content', data: { text: 'x' } });
    expect(before.content).toBe('');
  });

  it('merges into the stored message', () => {
    const state = run([
      meta,
      { event: 'reasoning', data: { text: 'why' } },
      { event: 'content', data: { text: 'because' } },
      { event: 'done', data: { status: 'complete', ttftMs: 10, totalMs: 20, reasoningMs: 5 } },
    ]);
    expect(mergeStream(message, state)).toMatchObject({
      id: 'a1',
      content: 'because',
      reasoning: 'why',
      status: 'complete',
      generationId: 'g1',
      model: 'mock-reasoning',
      ttftMs: 10,
      totalMs: 20,
      reasoningMs: 5,
    });
  });
});
