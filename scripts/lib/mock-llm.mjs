// The bundled mock LLM upstream (libs/mock-llm), started as its own process: e2e suites, benchmarks and demo mode
// (`npm start -- --demo`) talk to it over real HTTP exactly as they would to a model server.
import { join } from 'node:path';
import { assertBuilt } from './app.mjs';
import { reapStaleProcess, spawnService, waitForHttp } from './processes.mjs';

export const MOCK_LLM_ENTRY = 'libs/mock-llm/dist/cli.js';

/**
 * @param {{ rootDir: string, port: number, group: import('./processes.mjs').ProcessGroup, logFile?: string, echo?: boolean, args?: string[], pidFile?: string }} options
 * @returns {Promise<{ url: string }>}
 */
export async function startMockLlm({ rootDir, port, group, logFile, echo = false, args = [], pidFile }) {
  assertBuilt(rootDir, MOCK_LLM_ENTRY);
  // One an earlier run left behind (it was killed with SIGKILL) is stopped first.
  if (pidFile) await reapStaleProcess(pidFile, MOCK_LLM_ENTRY);
  const mock = spawnService(
    'mock-llm',
    process.execPath,
    [join(rootDir, MOCK_LLM_ENTRY), '--port', String(port), ...args],
    {
      cwd: rootDir,
      env: { ...process.env },
      echo,
      logFile,
      pidFile,
    },
  );
  group.add(mock);
  const url = `http://127.0.0.1:${port}`;
  const died = new AbortController();
  mock.exited.then(() => died.abort());
  await waitForHttp(`${url}/v1/models`, { timeoutMs: 30_000, signal: died.signal });
  return { url };
}
