import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED_PATHS, requestLogger, type LoggedRequest } from './logger.options';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream) };
}

/** The part of a ServerResponse the request log reads. */
function fakeResponse(statusCode: number) {
  const res = new EventEmitter() as EventEmitter & { statusCode: number; writableFinished: boolean };
  res.statusCode = statusCode;
  res.writableFinished = false;
  return res;
}

const request: LoggedRequest = {
  id: 'req-12345678',
  method: 'POST',
  url: '/api/chat/sessions/s1/messages',
  ip: '10.0.0.7',
  headers: { 'user-agent': 'vitest', authorization: 'Bearer secret-token-value', cookie: 'refresh_token=abc' },
};

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('requestLogger', () => {
  it('writes one line per response, once it has been sent, with no headers', async () => {
    const { lines, logger } = capture();
    const res = fakeResponse(201);
    requestLogger(logger)(request, res as unknown as ServerResponse);
    await flush();
    expect(lines, 'nothing is written before the response ends').toHaveLength(0);

    res.writableFinished = true;
    res.emit('finish');
    res.emit('close');
    await flush();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id: 'req-12345678', method: 'POST', url: request.url, remoteAddress: '10.0.0.7', userAgent: 'vitest' },
      res: { statusCode: 201 },
    });
    expect(typeof lines[0]!.responseTime).toBe('number');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('secret-token-value');
    expect(text).not.toContain('refresh_token');
  });

  it('logs server errors at error level and a client that left before the end as aborted', async () => {
    const { lines, logger } = capture();
    const failed = fakeResponse(500);
    requestLogger(logger)(request, failed as unknown as ServerResponse);
    failed.writableFinished = true;
    failed.emit('finish');

    const left = fakeResponse(200);
    requestLogger(logger)(request, left as unknown as ServerResponse);
    left.emit('close');
    await flush();

    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [50, 'request errored'],
      [40, 'request aborted'],
    ]);
  });
});
