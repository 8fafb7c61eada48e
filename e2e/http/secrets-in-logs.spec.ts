import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ApiClient, env, expectEnvelope, registerUser, signIn, strongPassword } from './support/client';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LogLine {
  msg?: string;
  req?: { id?: string };
  [key: string]: unknown;
}

async function readLog(): Promise<string> {
  if (!env.apiLogFile) throw new Error('API_LOG_FILE must name the file that captures the API output');
  return readFile(env.apiLogFile, 'utf8');
}

/** Log lines are written asynchronously; wait until the line we are looking for is there. */
async function waitForLogLine(match: (line: LogLine) => boolean): Promise<LogLine | undefined> {
  for (let i = 0; i < 50; i++) {
    for (const raw of (await readLog()).split('\n')) {
      if (!raw.startsWith('{')) continue;
      try {
        const line = JSON.parse(raw) as LogLine;
        if (match(line)) return line;
      } catch {
        // a line still being written
      }
    }
    await sleep(100);
  }
  return undefined;
}

describe('API log', () => {
  it('logs every failed login, and never a password, access token or refresh token', async () => {
    const account = await registerUser();
    const secrets: string[] = [account.password];

    const client = await signIn(account.email, account.password);
    secrets.push(client.accessToken!, client.refreshCookie!);
    await client.refresh();
    secrets.push(client.accessToken!, client.refreshCookie!);
    expect((await client.me()).status).toBe(200);

    const newPassword = strongPassword();
    secrets.push(newPassword);
    expect(
      (await client.post('/api/auth/me/password', { currentPassword: account.password, newPassword })).status,
    ).toBe(204);
    await client.refresh();
    secrets.push(client.accessToken!, client.refreshCookie!);

    const wrongPassword = `Wrong-${randomUUID()}`;
    secrets.push(wrongPassword);
    const requestId = `e2e-failed-login-${randomUUID()}`;
    const failed = await new ApiClient().post(
      '/api/auth/login',
      { email: account.email, password: wrongPassword },
      { headers: { 'x-request-id': requestId } },
    );
    expectEnvelope(failed, 401, 'INVALID_CREDENTIALS');

    const line = await waitForLogLine((l) => l.msg === 'login failed' && l.requestId === requestId);
    expect(line, 'the failed login is logged with its request id').toBeDefined();
    expect(JSON.stringify(line)).toContain(account.email);

    // An unknown email is logged too.
    const unknownEmail = `nobody-${randomUUID()}@e2e.test`;
    const requestId3 = `e2e-unknown-login-${randomUUID()}`;
    const unknown = await new ApiClient().post(
      '/api/auth/login',
      { email: unknownEmail, password: wrongPassword },
      { headers: { 'x-request-id': requestId3 } },
    );
    expectEnvelope(unknown, 401, 'INVALID_CREDENTIALS');
    const unknownLine = await waitForLogLine((l) => l.msg === 'login failed' && l.requestId === requestId3);
    expect(unknownLine, 'a login with an unknown email is logged').toBeDefined();
    expect(JSON.stringify(unknownLine)).toContain(unknownEmail);

    const requestId2 = `e2e-logout-${randomUUID()}`;
    expect((await client.post('/api/auth/logout', undefined, { headers: { 'x-request-id': requestId2 } })).status).toBe(
      204,
    );
    expect(await waitForLogLine((l) => l.req?.id === requestId2)).toBeDefined();

    const log = await readLog();
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(7);
      expect(log.includes(secret), `a secret of this test appears in ${env.apiLogFile}`).toBe(false);
    }
    // Neither do bcrypt hashes.
    expect(/\$2[aby]\$\d\d\$/.test(log), 'a bcrypt hash appears in the log').toBe(false);
  });
});

describe('health checks', () => {
  it('are not written to the request log (load balancers poll them every few seconds)', async () => {
    const healthId = `e2e-health-${randomUUID()}`;
    const res = await new ApiClient().get('/api/health', { headers: { 'x-request-id': healthId } });
    expect(res.status).toBe(200);
    // A request that is logged, sent afterwards: once its line is there, the health check's would be too.
    const markerId = `e2e-marker-${randomUUID()}`;
    await new ApiClient().get('/api/settings/public', { headers: { 'x-request-id': markerId } });
    expect(await waitForLogLine((l) => l.req?.id === markerId)).toBeDefined();
    const logged = (await readLog()).includes(healthId);
    expect(logged, `GET /api/health (request id ${healthId}) was written to ${env.apiLogFile}`).toBe(false);
  });
});
