import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ProcessGroup,
  claimDataDir,
  createLinePrefixer,
  isProcessAlive,
  reapStaleProcess,
  spawnService,
  waitForHttp,
} from './processes.mjs';

const dirs: string[] = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'modelyard-processes-spec-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createLinePrefixer', () => {
  it('prefixes whole lines and leaves their content untouched, however the bytes are chunked', () => {
    const out: string[] = [];
    const lines = createLinePrefixer('[api] ', (text) => out.push(text));
    const bytes = Buffer.from('Admin password: Zx9!aa\r\n管理员密码\npartial');
    // Split inside the multi-byte characters on purpose.
    for (let index = 0; index < bytes.length; index += 5) lines.push(bytes.subarray(index, index + 5));
    expect(out).toEqual(['[api] Admin password: Zx9!aa\n', '[api] 管理员密码\n']);
    lines.flush();
    expect(out[2]).toBe('[api] partial\n');
  });
});

describe('spawnService', () => {
  it('writes raw output to the log file and removes its pid file when the process exits', async () => {
    const dir = tempDir();
    const service = spawnService('echo', process.execPath, ['-e', 'console.log("hello"); console.error("oops")'], {
      echo: false,
      logFile: join(dir, 'out.log'),
      pidFile: join(dir, 'echo.pid'),
    });
    expect(existsSync(join(dir, 'echo.pid'))).toBe(true);
    expect(await service.exited).toMatchObject({ code: 0 });
    expect(existsSync(join(dir, 'echo.pid'))).toBe(false);
    await vi.waitFor(() => expect(readFileSync(join(dir, 'out.log'), 'utf8')).toContain('oops'));
    expect(readFileSync(join(dir, 'out.log'), 'utf8')).toContain('hello\n');
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const stubborn = spawnService(
      'stubborn',
      process.execPath,
      ['-e', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'],
      { echo: false },
    );
    await new Promise((resolve) => stubborn.child.stdout?.once('data', resolve));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await stubborn.stop({ timeoutMs: 300 });
    stderr.mockRestore();
    expect(await stubborn.exited).toMatchObject({ signal: 'SIGKILL' });
  });
});

describe('ProcessGroup', () => {
  it('stops members newest first and does not report members it stopped itself', async () => {
    const order: string[] = [];
    const unexpected = vi.fn();
    const group = new ProcessGroup({ onUnexpectedExit: unexpected });
    for (const name of ['postgres', 'redis', 'api']) {
      const service = spawnService(name, process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { echo: false });
      group.add({
        name,
        exited: service.exited,
        stop: async () => {
          order.push(name);
          await service.stop();
        },
      });
    }
    await group.stopAll(() => {});
    expect(order).toEqual(['api', 'redis', 'postgres']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unexpected).not.toHaveBeenCalled();
  });

  it('reports a member that dies on its own, with its exit code', async () => {
    const unexpected = vi.fn();
    const group = new ProcessGroup({ onUnexpectedExit: unexpected });
    const service = spawnService('worker', process.execPath, ['-e', 'process.exit(3)'], { echo: false });
    group.add(service);
    await service.exited;
    await vi.waitFor(() => expect(unexpected).toHaveBeenCalledWith('worker', expect.objectContaining({ code: 3 })));
  });
});

describe('waitForHttp', () => {
  it('keeps polling until the server answers 200', async () => {
    let calls = 0;
    const server = createServer((_request, response) => {
      calls += 1;
      response.writeHead(calls < 3 ? 503 : 200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, { intervalMs: 10, timeoutMs: 5_000 });
    expect(calls).toBe(3);
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up with the last answer it saw', async () => {
    const server = createServer((_request, response) => response.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await expect(waitForHttp(`http://127.0.0.1:${port}/`, { intervalMs: 10, timeoutMs: 200 })).rejects.toThrow(
      /HTTP 503/,
    );
    await new Promise((resolve) => server.close(resolve));
  });

  it('stops waiting as soon as it is aborted (the server died)', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(waitForHttp('http://127.0.0.1:9/', { signal: controller.signal })).rejects.toThrow();
  });
});

describe('reapStaleProcess', () => {
  function orphan(marker: string) {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], {
      detached: true,
      stdio: 'ignore',
    });
    child.unref();
    return child.pid!;
  }

  it('stops a leftover process whose command line still matches', async () => {
    const dir = tempDir();
    const pid = orphan('modelyard-reap-spec');
    writeFileSync(join(dir, 'api.pid'), `${pid}\n`);
    expect(await reapStaleProcess(join(dir, 'api.pid'), 'modelyard-reap-spec')).toBe(true);
    expect(isProcessAlive(pid)).toBe(false);
    expect(existsSync(join(dir, 'api.pid'))).toBe(false);
  });

  it('leaves alone a process that merely reuses the recorded pid', async () => {
    const dir = tempDir();
    const pid = orphan('something-else');
    writeFileSync(join(dir, 'api.pid'), `${pid}\n`);
    expect(await reapStaleProcess(join(dir, 'api.pid'), 'apps/api/dist/main.js')).toBe(false);
    expect(isProcessAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
  });
});

describe('claimDataDir', () => {
  it('lets one npm start use a data directory at a time, and takes over from one that is gone', async () => {
    const dataDir = tempDir();
    const lockFile = join(dataDir, 'run', 'start.pid');
    // Another start.mjs, alive, holds it.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'scripts/start.mjs'], {
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => other.once('spawn', resolve));
      claimDataDir(dataDir);
      writeFileSync(lockFile, `${other.pid}\n`);
      expect(() => claimDataDir(dataDir)).toThrow(/Another "npm start" \(pid \d+\) is running/);
      expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(other.pid));
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // Its holder is gone (killed): the directory is free again, and giving it back removes only our own claim.
    const release = claimDataDir(dataDir);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    release();
    expect(existsSync(lockFile)).toBe(false);
  });
});
