import { randomUUID } from 'node:crypto';
import type { Batch, BatchReport } from '@modelyard/contracts';
import ExcelJS from 'exceljs';
import { createParser } from 'eventsource-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminClient,
  detailPaths,
  env,
  expectEnvelope,
  newSignedInUser,
  type SignedInUser,
  signIn,
} from './support/client';
import { createModelConfig, createProvider, upstreamRequests } from './support/mock-llm';

let alice: SignedInUser;
let bob: SignedInUser;
let providerId: string;
let quick: string;
let steady: string;

beforeAll(async () => {
  const admin = await adminClient();
  [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
  providerId = (await createProvider(admin)).id;
  quick = (await createModelConfig(alice.client, providerId, { model: 'mock-echo@ttft=5,tps=0' })).id;
  steady = (await createModelConfig(alice.client, providerId, { model: 'mock-chat@ttft=20,tps=0,tokens=12' })).id;
});

function upload(
  who: SignedInUser,
  file: { name: string; text: string | Uint8Array<ArrayBuffer> } | null,
  modelConfigIds: string[],
  extra: Record<string, string> = {},
) {
  const form = new FormData();
  for (const id of modelConfigIds) form.append('modelConfigIds', id);
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  if (file) form.append('file', new Blob([file.text]), file.name);
  return who.client.request<{ id: string }>('POST', '/api/compare/batches', { body: form });
}

/** Follows the progress stream to its end; returns every snapshot. */
async function follow(who: SignedInUser, id: string): Promise<{ event: string; batch: Batch }[]> {
  const res = await fetch(`${env.baseUrl}/api/compare/batches/${id}/events`, {
    headers: { accept: 'text/event-stream', authorization: `Bearer ${who.client.accessToken}` },
    signal: AbortSignal.timeout(60_000),
  });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const events: { event: string; batch: Batch }[] = [];
  const parser = createParser({
    onEvent: (e) => events.push({ event: e.event ?? 'message', batch: JSON.parse(e.data) as Batch }),
  });
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
    parser.feed(decoder.decode(chunk.value, { stream: true }));
  return events;
}

async function report<T = unknown>(id: string, format: string) {
  return alice.client.get<T>(`/api/compare/batches/${id}/report?format=${format}`);
}

describe('batch compare', () => {
  it('runs every question against every model on the worker, with live progress to the end', async () => {
    const questions = Array.from({ length: 12 }, (_, i) => `Question ${i + 1} ${randomUUID().slice(0, 6)}`);
    const res = await upload(alice, { name: 'questions.txt', text: questions.join('\n') + '\n\n' }, [quick, steady], {
      concurrency: '4',
    });
    expect(res.status, res.text).toBe(202);
    const events = await follow(alice, res.body.id);
    const last = events.at(-1)!;
    expect(last.event).toBe('done');
    expect(last.batch).toMatchObject({ status: 'completed', done: 24, total: 24, questions: 12 });
    expect(last.batch.models.map((m) => [m.done, m.errors])).toEqual([
      [12, 0],
      [12, 0],
    ]);
    // Progress only goes forward.
    const dones = events.map((e) => e.batch.done);
    expect([...dones].sort((a, b) => a - b)).toEqual(dones);

    const json = (await report<BatchReport>(res.body.id, 'json')).body;
    expect(json.rows).toHaveLength(12);
    expect(json.rows[3]!.question).toBe(questions[3]);
    // mock-echo answers with the question: the answer grid lines up question × model.
    expect(json.rows[3]!.cells[0]!.answer).toContain(questions[3]);
    expect(json.models[0]!.latencyMs.p50).not.toBeNull();
    expect(json.models[0]!.latencyMs.min!).toBeLessThanOrEqual(json.models[0]!.latencyMs.p95!);
    expect(json.models[1]!.completionTokens).toBeGreaterThan(0);
    expect(json.models[0]!.bleu).toBeNull();
  });

  it('scores answers against expected ones (BLEU, ROUGE-L) and exports XLSX, CSV and Markdown', async () => {
    const csv =
      'question,expected\n"Say: the cat sat on the mat","Say: the cat sat on the mat"\n"Say: 你好世界","completely different"\n';
    // 59 characters and an emoji where the file name is cut at 60: cut whole, the reports still download.
    const name = `Scored run ${'x'.repeat(48)}😀 and more`;
    const res = await upload(alice, { name: 'qa.csv', text: csv }, [quick], { name });
    expect(res.status, res.text).toBe(202);
    await follow(alice, res.body.id);
    const json = (await report<BatchReport>(res.body.id, 'json')).body;
    expect(json.batch.hasExpected).toBe(true);
    const [same, different] = json.rows.map((r) => r.cells[0]!);
    expect(same!.bleu!).toBeGreaterThan(0.5);
    expect(same!.rougeL!).toBeGreaterThan(different!.rougeL!);
    expect(json.models[0]!.bleu).not.toBeNull();

    const xlsx = await alice.client.request('GET', `/api/compare/batches/${res.body.id}/report?format=xlsx`);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(
      `${encodeURIComponent(`Scored run ${'x'.repeat(48)}😀`)}_report_`,
    );
    const bytes = await (
      await fetch(`${env.baseUrl}/api/compare/batches/${res.body.id}/report?format=xlsx`, {
        headers: { authorization: `Bearer ${alice.client.accessToken}` },
      })
    ).arrayBuffer();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes);
    expect(book.worksheets.map((s) => s.name)).toEqual(['answers', 'summary']);
    expect(book.getWorksheet('answers')!.getRow(2).getCell(2).value).toBe('Say: the cat sat on the mat');
    expect(book.getWorksheet('summary')!.getRow(2).getCell(3).value).toBe(2);

    const csvReport = await report(res.body.id, 'csv');
    expect(csvReport.text.replace(/^\uFEFF/, '').split('\n')[0]).toMatch(/^question_no,question,expected,model_config/);
    const md = await report(res.body.id, 'md');
    expect(md.text).toContain('## Summary');
    expect(md.text).toContain('你好世界');
  });

  it('pauses a model on 429 (honouring Retry-After) and retries, and records errors after the retries', async () => {
    const limited = (
      await createModelConfig(alice.client, providerId, {
        model: `mock-fault-429-once@tokens=${7 + Math.floor(Math.random() * 50)}`,
      })
    ).id;
    const broken = (await createModelConfig(alice.client, providerId, { model: 'mock-fault-500' })).id;
    const res = await upload(alice, { name: 'q.txt', text: 'only one question\n' }, [limited, broken]);
    const last = (await follow(alice, res.body.id)).at(-1)!.batch;
    expect(last.status).toBe('completed');
    expect(last.models.map((m) => m.errors)).toEqual([0, 1]);
    const json = (await report<BatchReport>(res.body.id, 'json')).body;
    expect(json.rows[0]!.cells[0]!.status).toBe('complete');
    expect(json.rows[0]!.cells[1]).toMatchObject({ status: 'error', attempts: 3 });
    expect(json.rows[0]!.cells[1]!.error).toMatch(/\S/);
    const seen = (await upstreamRequests()).filter((r) => r.model?.startsWith('mock-fault-429-once'));
    expect(seen.some((r) => r.outcome === 'fault')).toBe(true);
  });

  it('cancels a running batch and keeps what finished', async () => {
    const slow = (await createModelConfig(alice.client, providerId, { model: 'mock-chat@ttft=150,tps=0,tokens=5' })).id;
    const text = Array.from({ length: 40 }, (_, i) => `slow ${i}`).join('\n');
    const res = await upload(alice, { name: 'slow.txt', text }, [slow], { concurrency: '1' });
    const following = follow(alice, res.body.id);
    for (let i = 0; i < 50; i++) {
      const batch = (await alice.client.get<Batch>(`/api/compare/batches/${res.body.id}`)).body;
      if (batch.done >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cancelled = await alice.client.post<Batch>(`/api/compare/batches/${res.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    // The answer says so at once; the cells in flight end first, then the batch turns `cancelled`.
    expect(cancelled.body.cancelRequested).toBe(true);
    expect(['running', 'cancelled']).toContain(cancelled.body.status);
    const last = (await following).at(-1)!;
    expect(last.event).toBe('done');
    expect(last.batch.status).toBe('cancelled');
    expect(last.batch.done).toBeGreaterThanOrEqual(2);
    expect(last.batch.done).toBeLessThan(40);
    const json = (await report<BatchReport>(res.body.id, 'json')).body;
    expect(json.rows.filter((r) => r.cells[0]?.status === 'complete').length).toBe(last.batch.done);
    expectEnvelope(await alice.client.post(`/api/compare/batches/${res.body.id}/cancel`), 409, 'BATCH_FINISHED');
  });

  it('ends the progress stream of a batch deleted while it runs', async () => {
    const slow = (await createModelConfig(alice.client, providerId, { model: 'mock-chat@ttft=300,tps=0,tokens=5' })).id;
    const text = Array.from({ length: 20 }, (_, i) => `deleted ${i}`).join('\n');
    const res = await upload(alice, { name: 'deleted.txt', text }, [slow], { concurrency: '1' });
    const following = follow(alice, res.body.id);
    for (let i = 0; i < 50; i++) {
      const batch = (await alice.client.get<Batch>(`/api/compare/batches/${res.body.id}`)).body;
      if (batch.done >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await alice.client.delete(`/api/compare/batches/${res.body.id}`)).status).toBe(204);
    const last = (await following).at(-1)!;
    expect(last.event).toBe('done');
    expect(last.batch.status).toBe('cancelled');
    expectEnvelope(await alice.client.get(`/api/compare/batches/${res.body.id}`), 404, 'BATCH_NOT_FOUND');
  });

  it('stops a disabled user’s batch: no more model calls on behalf of an account that was switched off', async () => {
    const admin = await adminClient();
    const carol = await newSignedInUser();
    const slow = (await createModelConfig(carol.client, providerId, { model: 'mock-chat@ttft=150,tps=0,tokens=5' })).id;
    const text = Array.from({ length: 40 }, (_, i) => `disabled ${i}`).join('\n');
    const res = await upload(carol, { name: 'slow.txt', text }, [slow], { concurrency: '1' });
    expect(res.status, res.text).toBe(202);
    for (let i = 0; i < 50; i++) {
      if ((await carol.client.get<Batch>(`/api/compare/batches/${res.body.id}`)).body.done >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await admin.patch(`/api/admin/users/${carol.user.id}`, { isActive: false })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await admin.patch(`/api/admin/users/${carol.user.id}`, { isActive: true })).status).toBe(200);
    const again = await signIn(carol.email, carol.password);
    let batch: Batch | undefined;
    for (let i = 0; i < 50; i++) {
      batch = (await again.get<Batch>(`/api/compare/batches/${res.body.id}`)).body;
      if (batch.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(batch?.status).toBe('cancelled');
    expect(batch?.done).toBeGreaterThanOrEqual(1);
    expect(batch?.done).toBeLessThan(40);
  });

  it('refuses bad uploads with clear errors and keeps batches private', async () => {
    expectEnvelope(await upload(alice, null, [quick]), 400, 'BATCH_FILE_MISSING');
    expectEnvelope(await upload(alice, { name: 'q.pdf', text: 'x' }, [quick]), 400, 'BATCH_FILE_INVALID');
    expectEnvelope(await upload(alice, { name: 'q.csv', text: 'prompt\nx\n' }, [quick]), 400, 'BATCH_FILE_INVALID');
    const jsonl = await upload(alice, { name: 'q.jsonl', text: '{"question":"a"}\nnope\n' }, [quick]);
    expect(detailPaths(expectEnvelope(jsonl, 400, 'BATCH_FILE_INVALID'))).toEqual(['file.2']);
    // A binary file under a text name: PostgreSQL text cannot hold its NULs; the line is named.
    const binary = await upload(alice, { name: 'q.txt', text: 'fine\nab\u0000cd\n' }, [quick]);
    expect(detailPaths(expectEnvelope(binary, 400, 'BATCH_FILE_INVALID'))).toEqual(['file.2']);
    // Text in another encoding (GBK) is refused, not sent to the models garbled.
    const gbk = await upload(
      alice,
      { name: 'q.txt', text: new Uint8Array(Buffer.from('c4e3bac3a3accac0bde70a', 'hex')) },
      [quick],
    );
    expect(detailPaths(expectEnvelope(gbk, 400, 'BATCH_FILE_INVALID'))).toEqual(['file']);
    const tooFast = await upload(alice, { name: 'q.txt', text: 'a\n' }, [quick], { concurrency: '33' });
    expect(detailPaths(expectEnvelope(tooFast, 400, 'VALIDATION_FAILED'))).toEqual(['concurrency']);
    expectEnvelope(await upload(alice, { name: 'q.txt', text: 'a\n' }, []), 400, 'VALIDATION_FAILED');
    expect((await upload(bob, { name: 'q.txt', text: 'a\n' }, [quick])).status).toBe(404);
    const listed = await bob.client.get<{ total: number }>('/api/compare/batches');
    expect(listed.body.total).toBe(0);

    const mine = await upload(alice, { name: 'q.txt', text: 'a\n' }, [quick]);
    expectEnvelope(await bob.client.get(`/api/compare/batches/${mine.body.id}`), 404, 'BATCH_NOT_FOUND');
    expectEnvelope(
      await bob.client.get(`/api/compare/batches/${mine.body.id}/report?format=csv`),
      404,
      'BATCH_NOT_FOUND',
    );
    expectEnvelope(await bob.client.post(`/api/compare/batches/${mine.body.id}/cancel`), 404, 'BATCH_NOT_FOUND');
    expectEnvelope(
      await alice.client.get(`/api/compare/batches/${mine.body.id}/report?format=pdf`),
      400,
      'VALIDATION_FAILED',
    );
  });
});
