import type { MockCapability, MockModelDescriptor, MockProtocol, ScenarioTiming } from './types';

/**
 * Every behaviour of the mock is picked by the model name, so a test, a benchmark or the demo mode selects it
 * through the same field a user fills in for a real model, with no side channel into the server.
 */
export type ScenarioName =
  | 'mock-echo'
  | 'mock-chat'
  | 'mock-reasoning'
  | 'mock-reasoning-field'
  | 'mock-think-tags'
  | 'mock-split-tags'
  | 'mock-orphan-close'
  | 'mock-long'
  | 'mock-slow'
  | 'mock-markdown-xss'
  | 'mock-fault-401'
  | 'mock-fault-429'
  | 'mock-fault-429-once'
  | 'mock-fault-500'
  | 'mock-fault-stall'
  | 'mock-fault-stall-headers'
  | 'mock-fault-reset'
  | 'mock-fault-malformed'
  | 'mock-fault-truncated';

export interface ScenarioDefinition {
  name: ScenarioName;
  description: string;
  contextLength: number;
  capabilities: readonly MockCapability[];
  /** Answer length in tokens unless the name overrides it. */
  defaultTokens: number;
  timing?: Partial<ScenarioTiming>;
}

const ALL_PROTOCOLS: readonly MockProtocol[] = ['openai', 'ollama', 'anthropic'];
const CHAT: readonly MockCapability[] = ['chat'];
const REASONING: readonly MockCapability[] = ['chat', 'reasoning'];

const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'mock-echo',
    description: 'Answers "You said: <last user message>"',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 0,
  },
  {
    name: 'mock-chat',
    description: 'Deterministic multi-sentence answer, one word per token',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-reasoning',
    description: 'Native reasoning (reasoning_content / thinking / thinking blocks), then the answer',
    contextLength: 65536,
    capabilities: REASONING,
    defaultTokens: 30,
  },
  {
    name: 'mock-reasoning-field',
    description: 'Like mock-reasoning, but OpenAI deltas carry `reasoning` (OpenRouter/vLLM style)',
    contextLength: 65536,
    capabilities: REASONING,
    defaultTokens: 30,
  },
  {
    name: 'mock-think-tags',
    description: 'Reasoning inline in the content between <think> tags',
    contextLength: 65536,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-split-tags',
    description: 'Like mock-think-tags, streamed 1-3 characters at a time so tags straddle chunks',
    contextLength: 65536,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-orphan-close',
    description: 'Reasoning with only a closing </think> tag (the chat template opened it)',
    contextLength: 65536,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-long',
    description: 'About 2000 tokens of markdown: headings, lists, code blocks',
    contextLength: 131072,
    capabilities: CHAT,
    defaultTokens: 2000,
  },
  {
    name: 'mock-slow',
    description: 'mock-chat at 5 tokens per second',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
    timing: { tokensPerSecond: 5 },
  },
  {
    name: 'mock-markdown-xss',
    description: 'Markdown carrying <script>, an onerror image, a javascript: link and a fenced code block',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 0,
  },
  {
    name: 'mock-fault-401',
    description: 'Always 401 in the protocol error shape',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-fault-429',
    description: 'Always 429 with Retry-After (default 2 s)',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-fault-429-once',
    description: 'First request per model name is 429 (Retry-After 1), later ones succeed',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-fault-500',
    description: 'Always 500 in the protocol error shape',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-fault-stall',
    description: 'Headers and 3 tokens, then silence until the client disconnects',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-fault-stall-headers',
    description: 'Accepts the request and never sends headers',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-fault-reset',
    description: 'A few tokens, then the socket is destroyed',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-fault-malformed',
    description: 'A frame of invalid JSON mid-stream, then the stream carries on',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
  {
    name: 'mock-fault-truncated',
    description: 'A few tokens, then a clean end with no terminal frame',
    contextLength: 32768,
    capabilities: CHAT,
    defaultTokens: 30,
  },
];

export const MOCK_MODELS: readonly MockModelDescriptor[] = SCENARIOS.map((scenario) => ({
  id: scenario.name,
  description: scenario.description,
  protocols: ALL_PROTOCOLS,
  contextLength: scenario.contextLength,
  capabilities: scenario.capabilities,
}));

export interface ScenarioOverrides {
  ttft?: number;
  tps?: number;
  latency?: number;
  tokens?: number;
  retryAfter?: number;
  fail?: number;
  /** Reasoning length in tokens for the reasoning scenarios. */
  reasoning?: number;
  /** Tokens streamed before a stall, reset, malformed frame or truncation. */
  after?: number;
}

type OverrideKey = keyof ScenarioOverrides;

const OVERRIDE_KEYS: readonly OverrideKey[] = [
  'ttft',
  'tps',
  'latency',
  'tokens',
  'retryAfter',
  'fail',
  'reasoning',
  'after',
];
/** Counts must be whole numbers; durations and rates may be fractional. */
const INTEGER_KEYS: ReadonlySet<OverrideKey> = new Set<OverrideKey>(['tokens', 'reasoning', 'after', 'retryAfter']);

export const BUILT_IN_TIMING: ScenarioTiming = { latencyMs: 0, ttftMs: 0, tokensPerSecond: 0 };
const DEFAULT_REASONING_TOKENS = 24;

export interface ResolvedModel {
  /** The name exactly as the client sent it; responses echo it like real servers do. */
  requested: string;
  scenario: ScenarioDefinition;
  overrides: ScenarioOverrides;
  timing: ScenarioTiming;
  answerTokens: number;
  reasoningTokens: number;
}

export type ModelResolution =
  { ok: true; model: ResolvedModel } | { ok: false; reason: 'unknown-model' | 'bad-override'; message: string };

export function findScenario(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}

function stripLatestTag(name: string): string {
  return name.endsWith(':latest') ? name.slice(0, -':latest'.length) : name;
}

function isOverrideKey(key: string): key is OverrideKey {
  return (OVERRIDE_KEYS as readonly string[]).includes(key);
}

export function parseOverrides(
  text: string,
): { ok: true; overrides: ScenarioOverrides } | { ok: false; message: string } {
  const overrides: ScenarioOverrides = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const separator = pair.indexOf('=');
    const key = (separator < 0 ? pair : pair.slice(0, separator)).trim();
    const raw = separator < 0 ? '' : pair.slice(separator + 1).trim();
    if (!isOverrideKey(key)) {
      return { ok: false, message: `unknown override '${key}' (known: ${OVERRIDE_KEYS.join(', ')})` };
    }
    const value = raw === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value) || value < 0) {
      return { ok: false, message: `override '${key}' needs a non-negative number, got '${raw}'` };
    }
    if (INTEGER_KEYS.has(key) && !Number.isInteger(value)) {
      return { ok: false, message: `override '${key}' needs a whole number, got '${raw}'` };
    }
    if (key === 'fail' && value > 1) {
      return { ok: false, message: `override 'fail' is a probability between 0 and 1, got '${raw}'` };
    }
    overrides[key] = value;
  }
  return { ok: true, overrides };
}

/** `mock-chat`, `mock-chat:latest`, `mock-chat@tps=40,tokens=60` and `mock-chat:latest@tps=40` all resolve. */
export function resolveModel(requested: string, serverDefaults: ScenarioTiming): ModelResolution {
  const at = requested.indexOf('@');
  const base = stripLatestTag(at < 0 ? requested : requested.slice(0, at));
  const scenario = findScenario(base);
  if (!scenario) return { ok: false, reason: 'unknown-model', message: `unknown model '${requested}'` };

  const parsed = parseOverrides(at < 0 ? '' : stripLatestTag(requested.slice(at + 1)));
  if (!parsed.ok) return { ok: false, reason: 'bad-override', message: `model '${requested}': ${parsed.message}` };
  const { overrides } = parsed;

  const timing: ScenarioTiming = {
    latencyMs: overrides.latency ?? scenario.timing?.latencyMs ?? serverDefaults.latencyMs,
    ttftMs: overrides.ttft ?? scenario.timing?.ttftMs ?? serverDefaults.ttftMs,
    tokensPerSecond: overrides.tps ?? scenario.timing?.tokensPerSecond ?? serverDefaults.tokensPerSecond,
  };
  return {
    ok: true,
    model: {
      requested,
      scenario,
      overrides,
      timing,
      answerTokens: overrides.tokens ?? scenario.defaultTokens,
      reasoningTokens: overrides.reasoning ?? DEFAULT_REASONING_TOKENS,
    },
  };
}
