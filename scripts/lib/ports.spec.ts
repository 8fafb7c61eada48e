import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RESERVED_PORTS, choosePort, findFreePort, isPortFree, parsePort } from './ports.mjs';

const servers: Server[] = [];

function occupy(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    servers.push(server);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('findFreePort', () => {
  it('returns a port another server can actually bind', async () => {
    const port = await findFreePort();
    expect(await occupy(port)).toBe(port);
  });

  it('never returns a port it was told to avoid', async () => {
    const first = await findFreePort();
    const second = await findFreePort({ avoid: [first] });
    expect(second).not.toBe(first);
  });
});

describe('isPortFree', () => {
  it('is false while something listens on the port and true once it is released', async () => {
    const port = await occupy();
    expect(await isPortFree(port)).toBe(false);
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
    expect(await isPortFree(port)).toBe(true);
  });
});

describe('choosePort', () => {
  it('keeps the preferred port when it is free', async () => {
    const preferred = await findFreePort();
    expect(await choosePort(preferred)).toEqual({ port: preferred, fellBack: false });
  });

  it('falls back to another free port when the preferred one is taken', async () => {
    const busy = await occupy();
    const choice = await choosePort(busy);
    expect(choice.fellBack).toBe(true);
    expect(choice.port).not.toBe(busy);
    expect(await occupy(choice.port)).toBe(choice.port);
  });
});

describe('parsePort', () => {
  it('treats unset and empty as "not given"', () => {
    expect(parsePort(undefined, 'PORT')).toBeUndefined();
    expect(parsePort(' ', 'PORT')).toBeUndefined();
  });

  it('parses a valid port and names the variable when rejecting an invalid one', () => {
    expect(parsePort('8080', 'PORT')).toBe(8080);
    expect(() => parsePort('80a', 'PG_PORT')).toThrow(/PG_PORT/);
    expect(() => parsePort('70000', 'PORT')).toThrow(/between 1 and 65535/);
  });
});

it('reserves the npm start defaults so tests never take them', () => {
  expect(RESERVED_PORTS).toEqual(expect.arrayContaining([8080, 54329, 63790]));
});
