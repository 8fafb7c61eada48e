import type { CompareColumnHead, CompareMetaEvent, CompareRun, CreateCompareRunInput } from '@modelyard/contracts';
import { computed, onBeforeUnmount, ref, shallowRef } from 'vue';
import { generationStreams } from '@/api/chat';
import { type ColumnEvent, compareApi, compareStreams } from '@/api/compare';
import type { ApiError } from '@/api/http';
import { isApiError } from '@/api/http';
import { StreamLostError } from '@/api/sse';
import { createFrameBatcher } from '@/views/chat/frame-batch';
import {
  answerFromServer,
  applyColumnEvent,
  type ColumnAnswer,
  fastestColumn,
  isStreaming,
  reattachedAnswer,
  streamingAnswer,
} from './compare-columns';

/** One prompt of a run and every column's answer to it. */
export interface CompareTurnView {
  prompt: string;
  createdAt: string;
  /** Indexed by column; null for a column that has no answer to this prompt. */
  answers: (ColumnAnswer | null)[];
}

export interface CompareRunHead {
  id: string | null;
  title: string;
  systemPrompt: string | null;
  columns: CompareColumnHead[];
}

export const turnFastest = (turn: CompareTurnView) => fastestColumn(turn.answers);

export function turnsFromRun(run: CompareRun): CompareTurnView[] {
  return run.turns.map((turn) => ({
    prompt: turn.prompt,
    createdAt: turn.createdAt,
    answers: turn.answers.map((answer) => (answer ? answerFromServer(answer) : null)),
  }));
}

/**
 * The comparison on screen: its columns, its turns, and the one turn streaming in. Every column's events go through
 * the chat's reducer; the page re-renders at most once per frame. When a turn has ended the run is read back from
 * the server, which adds what only it knows (speed, cost, message ids). Leaving the page only detaches: the
 * columns run on on the server, and opening the run again picks up any column still streaming.
 */
export function useCompareRun() {
  const head = shallowRef<CompareRunHead | null>(null);
  const turns = shallowRef<CompareTurnView[]>([]);
  const streaming = ref(false);
  const lost = ref(false);
  const loadState = ref<'idle' | 'loading' | 'ready' | 'failed' | 'missing'>('idle');
  const stopping = ref<ReadonlySet<number>>(new Set());
  let controller: AbortController | null = null;
  let loadToken = 0;

  const runId = computed(() => head.value?.id ?? null);
  const anyStreaming = computed(() => turns.value.some((turn) => turn.answers.some(isStreaming)));

  /** The turn being streamed, kept outside Vue and published once per frame. */
  let work: CompareTurnView | null = null;
  const batch = createFrameBatcher(() => {
    if (!work) return;
    const published = { ...work, answers: work.answers.slice() };
    turns.value = [...turns.value.slice(0, -1), published];
  });

  function apply(event: ColumnEvent): void {
    if (!work) return;
    work.answers = applyColumnEvent(work.answers, event);
    batch.schedule();
  }

  function detach(): void {
    controller?.abort();
    controller = null;
    batch.cancel();
    work = null;
  }

  /** Reads the run back from the server; `quiet` keeps the current view on failure. */
  async function load(id: string, quiet = false): Promise<void> {
    const token = ++loadToken;
    if (!quiet) {
      detach();
      loadState.value = 'loading';
    }
    try {
      const run = await compareApi.get(id, { silent: true });
      if (token !== loadToken) return;
      head.value = { id: run.id, title: run.title, systemPrompt: run.systemPrompt, columns: run.columns };
      turns.value = turnsFromRun(run);
      loadState.value = 'ready';
      if (!controller) reattach();
    } catch (error) {
      if (token !== loadToken || quiet) return;
      loadState.value = isApiError(error) && error.status === 404 ? 'missing' : 'failed';
    }
  }

  /** Columns of the last turn still streaming on the server (a reload mid-answer) continue in place. */
  function reattach(): void {
    const last = turns.value.at(-1);
    const id = runId.value;
    if (!last || !id) return;
    const columns = last.answers
      .map((answer, column) => ({ answer, column }))
      .filter(({ answer }) => isStreaming(answer) && answer!.generationId);
    if (columns.length === 0) return;
    const own = new AbortController();
    controller = own;
    streaming.value = true;
    work = {
      ...last,
      answers: last.answers.map((a, i) =>
        columns.some((c) => c.column === i) ? reattachedAnswer(Date.parse(last.createdAt), a?.ttftMs ?? null) : a,
      ),
    };
    batch.flushNow();
    void Promise.allSettled(
      columns.map(({ answer, column }) =>
        generationStreams.reattach(answer!.generationId!, {
          signal: own.signal,
          onEvent: (event) => apply({ column, event }),
        }),
      ),
    ).then(() => finishTurn(own, id));
  }

  function finishTurn(own: AbortController, id: string): void {
    if (controller !== own) return;
    batch.flushNow();
    controller = null;
    work = null;
    streaming.value = false;
    stopping.value = new Set();
    void load(id, true);
  }

  async function stream(
    prompt: string,
    columns: CompareColumnHead[],
    run: (options: Parameters<typeof compareStreams.start>[1]) => ReturnType<typeof compareStreams.start>,
    onRun?: (id: string) => void,
  ): Promise<void> {
    detach();
    const own = new AbortController();
    controller = own;
    lost.value = false;
    streaming.value = true;
    stopping.value = new Set();
    const now = Date.now();
    work = {
      prompt,
      createdAt: new Date(now).toISOString(),
      answers: columns.map(() => streamingAnswer(now)),
    };
    turns.value = [...turns.value, { ...work }];
    let id = head.value?.id ?? null;
    try {
      const outcome = await run({
        signal: own.signal,
        onMeta: (meta: CompareMetaEvent) => {
          id = meta.runId;
          const current = head.value;
          head.value = {
            id: meta.runId,
            title: current?.title ?? prompt,
            systemPrompt: current?.systemPrompt ?? null,
            columns: meta.columns,
          };
          onRun?.(meta.runId);
        },
        onColumnEvent: apply,
      });
      if (outcome === 'aborted') return;
    } catch (error) {
      if (controller !== own) return;
      if (!(error instanceof StreamLostError) || id === null) {
        // Nothing was started: take the optimistic turn back out.
        batch.cancel();
        work = null;
        turns.value = turns.value.slice(0, -1);
        controller = null;
        streaming.value = false;
        throw error;
      }
      lost.value = true;
    }
    if (id) finishTurn(own, id);
  }

  function start(input: CreateCompareRunInput, columns: CompareColumnHead[], onRun?: (id: string) => void) {
    head.value = { id: null, title: input.prompt ?? '', systemPrompt: input.systemPrompt ?? null, columns };
    turns.value = [];
    loadState.value = 'ready';
    return stream(input.prompt ?? '', columns, (options) => compareStreams.start(input, options), onRun);
  }

  function followUp(content: string): Promise<void> {
    const id = runId.value;
    if (!id || !head.value) return Promise.resolve();
    return stream(content, head.value.columns, (options) => compareStreams.followUp(id, { content }, options));
  }

  async function stop(column?: number): Promise<void> {
    const id = runId.value;
    if (!id) return;
    const columns = column === undefined ? (head.value?.columns.map((c) => c.column) ?? []) : [column];
    stopping.value = new Set([...stopping.value, ...columns]);
    try {
      await compareApi.stop(id, column);
    } catch {
      // shown by the HTTP client; the column keeps streaming
      const next = new Set(stopping.value);
      for (const c of columns) next.delete(c);
      stopping.value = next;
    }
  }

  /** Saves a rating and shows it on the answer. */
  async function rate(turnIndex: number, column: number, value: { stars: number; note?: string }): Promise<void> {
    const id = runId.value;
    const answer = turns.value[turnIndex]?.answers[column];
    if (!id || !answer) return;
    const saved = await compareApi.rate(id, {
      column,
      stars: value.stars,
      ...(answer.assistantMessageId && { messageId: answer.assistantMessageId }),
      ...(value.note !== undefined && { note: value.note }),
    });
    turns.value = turns.value.map((turn, i) =>
      i !== turnIndex
        ? turn
        : {
            ...turn,
            answers: turn.answers.map((a, c) =>
              c === column && a ? { ...a, rating: { stars: saved.stars, note: saved.note } } : a,
            ),
          },
    );
  }

  function reset(): void {
    detach();
    loadToken++;
    head.value = null;
    turns.value = [];
    streaming.value = false;
    lost.value = false;
    loadState.value = 'idle';
    stopping.value = new Set();
  }

  onBeforeUnmount(detach);

  return {
    head,
    turns,
    streaming,
    anyStreaming,
    lost,
    loadState,
    stopping,
    runId,
    load,
    start,
    followUp,
    stop,
    rate,
    reset,
  };
}

export type CompareRunController = ReturnType<typeof useCompareRun>;
export type { ApiError };
