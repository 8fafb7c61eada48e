// Free-port helpers. A port is "free" when we can bind it ourselves on the interface the service will use; that
// is the only check that cannot be fooled by firewalls or half-closed sockets.
import { createServer } from 'node:net';

/** The defaults of `npm start` (API, PostgreSQL, Redis): test runs never take these, so both can run side by side. */
export const RESERVED_PORTS = [8080, 54329, 63790];

/**
 * Whether `port` can be bound on `host` right now.
 * @param {number} port
 * @param {string} [host]
 * @returns {Promise<boolean>}
 */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolvePromise(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolvePromise(true));
    });
  });
}

/**
 * A port the kernel considers free on `host`, never one of `avoid`.
 * @param {{ host?: string, avoid?: number[] }} [options]
 * @returns {Promise<number>}
 */
export async function findFreePort({ host = '127.0.0.1', avoid = [] } = {}) {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await new Promise((resolvePromise, reject) => {
      const server = createServer();
      server.unref();
      server.once('error', reject);
      server.listen({ port: 0, host, exclusive: true }, () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolvePromise(chosen));
      });
    });
    if (port && !avoid.includes(port)) return port;
  }
  throw new Error(`Could not find a free TCP port on ${host}`);
}

/**
 * `preferred` when it is free, otherwise any free port (never one of `avoid`).
 * @param {number} preferred
 * @param {{ host?: string, avoid?: number[] }} [options]
 * @returns {Promise<{ port: number, fellBack: boolean }>}
 */
export async function choosePort(preferred, { host = '127.0.0.1', avoid = [] } = {}) {
  if (await isPortFree(preferred, host)) return { port: preferred, fellBack: false };
  return { port: await findFreePort({ host, avoid: [...avoid, preferred] }), fellBack: true };
}

/**
 * Parses a port from an environment variable; `undefined` when unset or empty.
 * @param {string | undefined} value
 * @param {string} name the variable name, for the error message
 * @returns {number | undefined}
 */
export function parsePort(value, name) {
  if (value === undefined || value.trim() === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port between 1 and 65535, got "${value}"`);
  }
  return port;
}
