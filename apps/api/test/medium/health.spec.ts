import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';
import { TcpProxy, withPort } from './support/tcp-proxy';

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!accept(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await probe();
  }
  return last;
}

describe('GET /api/health while dependencies fail and come back', () => {
  const db = new URL(process.env.DATABASE_URL!);
  const redis = new URL(process.env.REDIS_URL!);
  const dbProxy = new TcpProxy(db.hostname, Number(db.port || 5432));
  const redisProxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
  let t: TestApp;

  const health = async () => {
    const res = await t.inject({ method: 'GET', url: '/api/health' });
    return { status: res.statusCode, body: res.json() as { status: string; db: string; redis: string } };
  };

  beforeAll(async () => {
    const dbPort = await dbProxy.start();
    const redisPort = await redisProxy.start();
    t = await startTestApp({
      DATABASE_URL: withPort(process.env.DATABASE_URL!, dbPort),
      REDIS_URL: withPort(process.env.REDIS_URL!, redisPort),
    });
  });

  afterAll(async () => {
    await dbProxy.restore().catch(() => undefined);
    await redisProxy.restore().catch(() => undefined);
    await t?.close();
    await dbProxy.cut();
    await redisProxy.cut();
  });

  it('answers 200 when both are up', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', db: 'up', redis: 'up' } });
  });

  it('names Redis when Redis is down, and recovers without a restart', async () => {
    await redisProxy.cut();
    const down = await eventually(health, (h) => h.status === 503);
    expect(down).toEqual({
      status: 503,
      body: {
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'Redis is not answering',
        requestId: expect.any(String),
        status: 'degraded',
        db: 'up',
        redis: 'down',
      },
    });
    await redisProxy.restore();
    expect(await eventually(health, (h) => h.status === 200)).toEqual({
      status: 200,
      body: { status: 'ok', db: 'up', redis: 'up' },
    });
  });

  it('names PostgreSQL when PostgreSQL is down, and recovers without a restart', async () => {
    await dbProxy.cut();
    const down = await eventually(health, (h) => h.status === 503);
    expect(down).toEqual({
      status: 503,
      body: expect.objectContaining({ status: 'degraded', db: 'down', redis: 'up' }),
    });
    expect(down.body).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'PostgreSQL is not answering',
    });
    await dbProxy.restore();
    expect(await eventually(health, (h) => h.status === 200)).toEqual({
      status: 200,
      body: { status: 'ok', db: 'up', redis: 'up' },
    });
  });
});
