import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RedisReplyError,
  createReplyParser,
  encodeCommand,
  redisCommands,
  redisConfigQuote,
  redisUrl,
  renderRedisConfig,
} from './redis.mjs';

describe('renderRedisConfig', () => {
  const config = renderRedisConfig({
    port: 63790,
    dir: '/var/lib/model yard/redis',
    password: 'p4ss',
    pidFile: '/var/lib/model yard/redis/redis.pid',
  });
  const directives = config
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(' ')[0]);

  it('makes every write durable in the append-only file and never evicts queue keys', () => {
    expect(config).toMatch(/^appendonly yes$/m);
    expect(config).toMatch(/^appendfsync everysec$/m);
    expect(config).toMatch(/^maxmemory-policy noeviction$/m);
  });

  it('listens on loopback only, on the given port, with a password', () => {
    expect(config).toMatch(/^bind 127\.0\.0\.1$/m);
    expect(config).toMatch(/^port 63790$/m);
    expect(config).toMatch(/^requirepass "p4ss"$/m);
  });

  it('stays in the foreground and quotes paths containing spaces', () => {
    expect(config).toMatch(/^daemonize no$/m);
    expect(config).toMatch(/^dir "\/var\/lib\/model yard\/redis"$/m);
  });

  it('sets each directive once', () => {
    expect(new Set(directives).size).toBe(directives.length);
  });
});

describe('redisConfigQuote', () => {
  it('escapes quotes and backslashes the way Redis parses them', () => {
    expect(redisConfigQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it('refuses values that would start a new directive', () => {
    expect(() => redisConfigQuote('x\nrequirepass ""')).toThrow(/line breaks/);
  });
});

describe('redisUrl', () => {
  it('URL-encodes the password and appends the database index when given', () => {
    expect(redisUrl({ password: 'a/b@c', port: 6400 })).toBe('redis://:a%2Fb%40c@127.0.0.1:6400');
    expect(redisUrl({ password: 'x', port: 6400, db: 1 })).toBe('redis://:x@127.0.0.1:6400/1');
  });
});

describe('RESP', () => {
  it('encodes commands as arrays of bulk strings, counting bytes rather than characters', () => {
    expect(encodeCommand(['SET', 'k', '值']).toString()).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\n值\r\n');
  });

  it('parses every reply type, including replies split across chunks', () => {
    const parser = createReplyParser();
    const wire = Buffer.from(
      '+OK\r\n-ERR nope\r\n:42\r\n$-1\r\n*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n',
    );
    const replies = [
      ...parser.push(wire.subarray(0, 7)),
      ...parser.push(wire.subarray(7, 40)),
      ...parser.push(wire.subarray(40)),
    ];
    expect(replies[0]).toBe('OK');
    expect(replies[1]).toBeInstanceOf(RedisReplyError);
    expect((replies[1] as Error).message).toBe('ERR nope');
    expect(replies.slice(2)).toEqual([42, null, ['maxmemory-policy', 'noeviction']]);
  });
});

describe('redisCommands', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A fake Redis that accepts one password and answers PING. */
  function fakeRedis(password: string): Promise<number> {
    server = createServer((socket) => {
      let authed = false;
      const parser = createReplyParser();
      socket.on('data', (chunk) => {
        for (const command of parser.push(chunk) as string[][]) {
          if (command[0] === 'AUTH') {
            authed = command[1] === password;
            socket.write(authed ? '+OK\r\n' : '-WRONGPASS invalid username-password pair\r\n');
          } else socket.write(authed ? '+PONG\r\n' : '-NOAUTH Authentication required.\r\n');
        }
      });
    });
    return new Promise((resolve) =>
      server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)),
    );
  }

  it('authenticates before sending the commands and returns only their replies', async () => {
    const port = await fakeRedis('s3cret');
    expect(await redisCommands({ port, password: 's3cret', commands: [['PING'], ['PING']] })).toEqual(['PONG', 'PONG']);
  });

  it('rejects when the password is wrong', async () => {
    const port = await fakeRedis('s3cret');
    await expect(redisCommands({ port, password: 'wrong', commands: [['PING']] })).rejects.toThrow(/WRONGPASS/);
  });
});
