#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startMockLlm } from './mock-llm-server';
import type { MockLlmOptions, ScenarioTiming } from './types';

const DEFAULT_PORT = 11435;

const USAGE = `Usage: mock-llm [--port N] [--host H] [--api-key K] [--latency MS] [--ttft MS] [--tps N]

Starts the Modelyard mock LLM upstream (OpenAI, Ollama and Anthropic wire formats on one port).
Each flag falls back to an environment variable: MOCK_LLM_PORT, MOCK_LLM_HOST, MOCK_LLM_API_KEY,
MOCK_LLM_LATENCY, MOCK_LLM_TTFT, MOCK_LLM_TPS. Port defaults to ${DEFAULT_PORT}; 0 picks a free one.`;

class UsageError extends Error {}

function numberSetting(name: string, flag: string | undefined, envName: string): number | undefined {
  const raw = flag ?? process.env[envName];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${name} must be a non-negative number, got '${raw}'`);
  return value;
}

function readOptions(argv: string[]): MockLlmOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      latency: { type: 'string' },
      ttft: { type: 'string' },
      tps: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';

  const port = numberSetting('--port', values.port, 'MOCK_LLM_PORT') ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port > 65535)
    throw new UsageError(`--port must be a whole number up to 65535, got '${port}'`);
  const defaults: Partial<ScenarioTiming> = {};
  const latency = numberSetting('--latency', values.latency, 'MOCK_LLM_LATENCY');
  const ttft = numberSetting('--ttft', values.ttft, 'MOCK_LLM_TTFT');
  const tps = numberSetting('--tps', values.tps, 'MOCK_LLM_TPS');
  if (latency !== undefined) defaults.latencyMs = latency;
  if (ttft !== undefined) defaults.ttftMs = ttft;
  if (tps !== undefined) defaults.tokensPerSecond = tps;
  const apiKey = values['api-key'] ?? process.env.MOCK_LLM_API_KEY;
  return {
    port,
    host: values.host ?? process.env.MOCK_LLM_HOST ?? '127.0.0.1',
    apiKey: apiKey === '' ? undefined : apiKey,
    defaults,
  };
}

async function main(): Promise<void> {
  let options: MockLlmOptions | 'help';
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`mock-llm: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }

  const server = await startMockLlm(options);
  console.log(`mock-llm listening on ${server.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl-C means the user does not want to wait for the graceful path.
      process.exit(1);
    }
    stopping = true;
    console.log(`mock-llm: ${signal} received, shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('mock-llm: close failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('mock-llm: failed to start', error);
  process.exit(1);
});
