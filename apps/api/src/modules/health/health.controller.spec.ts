import { describe, expect, it } from 'vitest';
import { unhealthyBody } from './health.controller';

describe('health', () => {
  it('names the part that is down, inside the standard error envelope', () => {
    expect(unhealthyBody({ status: 'degraded', db: 'up', redis: 'down' }, 'req-1')).toEqual({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'Redis is not answering',
      requestId: 'req-1',
      status: 'degraded',
      db: 'up',
      redis: 'down',
    });
    expect(unhealthyBody({ status: 'degraded', db: 'down', redis: 'down' }, 'req-2').message).toBe(
      'PostgreSQL and Redis are not answering',
    );
  });
});
