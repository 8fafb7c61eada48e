import type { Batch, BatchReport } from '@modelyard/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { STORAGE_KEYS } from '@/stores/preferences';
import { jsonResponse, makeUser, signedInRoutes } from '@/test-utils/fake-api';
import { makeModelConfig } from '@/test-utils/models';
import { mountApp, settle } from '@/test-utils/mount-app';
import { waitFor } from '@/test-utils/wait';

// happy-dom has no canvas: the charts are checked by the browser suite; here they only receive their options.
const chartOptions: unknown[] = [];
vi.mock('vue-echarts', () => ({
  default: defineComponent({
    props: { option: { type: Object, required: true } },
    setup(props) {
      return () => {
        chartOptions.push(props.option);
        return h('div', { class: 'chart-stub' });
      };
    },
  }),
}));

vi.setConfig({ testTimeout: 30_000 });

const BATCH_ID = '30000000-0000-4000-8000-000000000001';
const swift = makeModelConfig({ id: '20000000-0000-4000-8000-00000000000a', name: 'Swift', model: 'mock-echo' });
const steady = makeModelConfig({ id: '20000000-0000-4000-8000-00000000000b', name: 'Steady', model: 'mock-chat' });

function makeBatch(overrides: Partial<Batch> = {}): Batch {
  return {
    id: BATCH_ID,
    name: 'Scored run',
    filename: 'qa.csv',
    status: 'running',
    done: 1,
    total: 4,
    questions: 2,
    concurrency: 4,
    hasExpected: true,
    cancelRequested: false,
    models: [
      { column: 0, modelConfigId: swift.id, name: 'Swift', done: 1, errors: 0, pausedUntil: null },
      { column: 1, modelConfigId: steady.id, name: 'Steady', done: 0, errors: 0, pausedUntil: null },
    ],
    etaSeconds: 5,
    error: null,
    createdAt: '2026-01-01T10:00:00.000Z',
    startedAt: '2026-01-01T10:00:01.000Z',
    finishedAt: null,
    ...overrides,
  };
}

const stats = (column: number, name: string) => ({
  column,
  modelConfigId: null,
  name,
  model: `mock-${name.toLowerCase()}`,
  answered: 2,
  errors: 0,
  latencyMs: { mean: 150, p50: 150, p95: 200, min: 100, max: 200 },
  promptTokens: 10,
  completionTokens: 20,
  estimatedCost: null,
  bleu: 0.5,
  rougeL: 0.75,
});

const cell = (answer: string, latencyMs: number) => ({
  status: 'complete' as const,
  answer,
  latencyMs,
  ttftMs: 5,
  promptTokens: 5,
  completionTokens: 10,
  bleu: 0.5,
  rougeL: 0.75,
  error: null,
  attempts: 1,
});

function eventStream(frames: { event: string; data: unknown }[]): Response {
  const text = frames.map((f, i) => `id: ${i + 1}\nevent: ${f.event}\ndata: ${JSON.stringify(f.data)}\n\n`).join('');
  return new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

const page = <T>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 20 });

beforeEach(() => {
  localStorage.clear();
  localStorage.setItem(STORAGE_KEYS.locale, 'en');
  chartOptions.length = 0;
});

afterEach(() => {
  document.body.innerHTML = '';
  vi.unstubAllGlobals();
});

async function pickOption(testId: string): Promise<void> {
  await waitFor(() => expect(document.querySelector(`[data-testid="${testId}"]`)).not.toBeNull());
  (document.querySelector(`[data-testid="${testId}"]`) as HTMLElement).click();
  await settle();
}

describe('batch jobs page', () => {
  it('lists batches, previews an upload, shows a refused file next to it, and opens the batch once started', async () => {
    let refuse = true;
    const { wrapper, api, router } = await mountApp('/batch-jobs', {
      ...signedInRoutes(makeUser()),
      'GET /api/compare/batches': () =>
        jsonResponse(
          200,
          page([
            makeBatch(),
            makeBatch({ id: '30000000-0000-4000-8000-000000000002', name: 'Old', status: 'completed', done: 4 }),
          ]),
        ),
      [`GET /api/compare/batches/${BATCH_ID}`]: () => jsonResponse(200, makeBatch()),
      'GET /api/model-configs': () => jsonResponse(200, page([steady, swift])),
      'POST /api/compare/batches': () =>
        refuse
          ? jsonResponse(400, {
              statusCode: 400,
              code: 'BATCH_FILE_INVALID',
              message: '1 line(s) of the JSONL file could not be read',
              details: [{ path: 'file.2', message: 'is not valid JSON' }],
              requestId: 'r1',
            })
          : jsonResponse(202, { id: BATCH_ID }),
      [`GET /api/compare/batches/${BATCH_ID}/events`]: () => eventStream([{ event: 'progress', data: makeBatch() }]),
    });

    await waitFor(() => expect(wrapper.findAll('[data-testid="batch-row"]')).toHaveLength(2));
    const [running, completed] = wrapper.findAll('[data-testid="batch-row"]');
    expect(running!.attributes('data-status')).toBe('running');
    expect(running!.text()).toContain('1 / 4');
    expect(running!.find('[data-testid="batch-row-cancel"]').exists()).toBe(true);
    expect(completed!.attributes('data-status')).toBe('completed');
    expect(completed!.find('[data-testid="batch-row-cancel"]').exists()).toBe(false);

    await wrapper.get('[data-testid="batch-new"]').trigger('click');
    await waitFor(() => expect(document.querySelector('[data-testid="batch-file-input"]')).not.toBeNull());
    const submit = () => document.querySelector<HTMLButtonElement>('[data-testid="batch-submit"]')!;
    expect(submit().disabled).toBe(true);

    const input = document.querySelector<HTMLInputElement>('[data-testid="batch-file-input"]')!;
    const file = new File(['{"question":"one","expected":"1"}\n{"question":"two"}\n'], 'qa.jsonl');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    await waitFor(() =>
      expect(document.querySelector('[data-testid="batch-preview-count"]')?.textContent).toContain('2 questions found'),
    );
    expect(document.querySelectorAll('[data-testid="batch-preview-row"]')).toHaveLength(2);
    expect(document.querySelector('[data-testid="batch-preview"]')!.textContent).toContain('With expected answers');

    (document.querySelector('[data-testid="batch-model-select"] .el-select__wrapper') as HTMLElement).click();
    await settle();
    await pickOption('batch-model-option-Swift');
    await pickOption('batch-model-option-Steady');
    await waitFor(() => expect(submit().disabled).toBe(false));

    // A file with an unreadable line would be refused whole: it cannot be sent, and the lines to fix are named.
    const choose = async (chosen: File) => {
      Object.defineProperty(input, 'files', { value: [chosen], configurable: true });
      input.dispatchEvent(new Event('change'));
      await settle();
    };
    await choose(new File(['{"question":"one"}\nnot json\n'], 'bad.jsonl'));
    await waitFor(() =>
      expect(document.querySelector('[data-testid="batch-preview"]')!.textContent).toContain(
        'Fix these lines before the batch can start:',
      ),
    );
    expect(submit().disabled).toBe(true);
    await choose(file);
    await waitFor(() => expect(submit().disabled).toBe(false));

    submit().click();
    await waitFor(() => expect(document.querySelector('[data-testid="batch-file-error"]')).not.toBeNull());
    expect(document.querySelector('[data-testid="batch-file-error"]')!.textContent).toContain(
      'Line 2: is not valid JSON',
    );
    const sent = api.calls.find((c) => c.method === 'POST' && c.path === '/api/compare/batches')!.body as FormData;
    expect(sent.getAll('modelConfigIds')).toEqual([swift.id, steady.id]);
    expect(sent.get('concurrency')).toBe('4');
    expect((sent.get('file') as File).name).toBe('qa.jsonl');

    refuse = false;
    submit().click();
    await waitFor(() => expect(router.currentRoute.value.path).toBe(`/batch-jobs/${BATCH_ID}`));
  });

  it('follows the progress stream to the end, then shows the summary, the charts and the answers', async () => {
    const done = makeBatch({ status: 'completed', done: 4, etaSeconds: null, finishedAt: '2026-01-01T10:00:09.000Z' });
    const report: BatchReport = {
      batch: done,
      models: [stats(0, 'Swift'), stats(1, 'Steady')],
      rows: [
        {
          index: 1,
          question: 'What is **two**?',
          expected: 'two',
          cells: [cell('It is **two**', 100), cell('2', 200)],
        },
        { index: 2, question: 'Three?', expected: 'three', cells: [cell('three', 120), cell('3', 180)] },
      ],
    };
    const { wrapper } = await mountApp(`/batch-jobs/${BATCH_ID}`, {
      ...signedInRoutes(makeUser()),
      [`GET /api/compare/batches/${BATCH_ID}`]: () => jsonResponse(200, makeBatch()),
      [`GET /api/compare/batches/${BATCH_ID}/events`]: () =>
        eventStream([
          { event: 'progress', data: makeBatch({ done: 3 }) },
          { event: 'done', data: done },
        ]),
      [`GET /api/compare/batches/${BATCH_ID}/report`]: () => jsonResponse(200, report),
    });

    await waitFor(() =>
      expect(wrapper.get('[data-testid="batch-status"]').attributes('data-status')).toBe('completed'),
    );
    expect(wrapper.get('[data-testid="batch-progress"]').attributes('data-percent')).toBe('100');
    expect(wrapper.get('[data-testid="batch-progress-count"]').text()).toBe('4 of 4 answers');
    expect(wrapper.find('[data-testid="batch-cancel"]').exists()).toBe(false);

    await waitFor(() => expect(wrapper.findAll('[data-testid="batch-summary-row"]')).toHaveLength(2));
    const swiftRow = wrapper.get('[data-testid="batch-summary-row"][data-name="Swift"]');
    expect(swiftRow.text()).toContain('150 ms');
    expect(swiftRow.get('[data-testid="batch-summary-rouge"]').text()).toBe('0.750');
    expect(wrapper.find('[data-testid="batch-chart-latency"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="batch-chart-quality"]').exists()).toBe(true);
    // The box plot is computed here from the answers' latencies: Swift 100/120, Steady 180/200.
    const box = chartOptions.find((o) => JSON.stringify(o).includes('boxplot')) as { series: { data: number[][] }[] };
    expect(box.series[0]!.data).toEqual([
      [100, 105, 110, 115, 120],
      [180, 185, 190, 195, 200],
    ]);

    const cells = wrapper.findAll('[data-testid="batch-grid-cell"]');
    expect(cells).toHaveLength(4);
    expect(cells[0]!.attributes('data-status')).toBe('complete');
    expect(cells[0]!.text()).toContain('It is **two**');
    for (const format of ['xlsx', 'csv', 'md', 'json']) {
      expect(wrapper.find(`[data-testid="batch-download-${format}"]`).exists()).toBe(true);
    }
  });
});
