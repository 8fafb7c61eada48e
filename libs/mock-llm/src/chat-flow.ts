import { randomBytes } from 'node:crypto';
import {
  type ChatCall,
  type ChatContext,
  type ChatProtocol,
  isRecord,
  type ProtocolError,
  type StreamFormat,
} from './chat-protocol';
import { type Ending, type Exchange, type Frame, playFrames } from './exchange';
import { countWords, type Generation, generate } from './generation';
import { type ResolvedModel, resolveModel } from './scenario-catalog';
import type { ScenarioTiming } from './types';

/** Counters that must survive across requests of one server (never module-wide, so servers stay independent). */
export class ScenarioState {
  private readonly rateLimitedOnce = new Set<string>();
  private readonly attempts = new Map<string, number>();

  /** True only the first time a model name is seen. */
  firstSighting(model: string): boolean {
    if (this.rateLimitedOnce.has(model)) return false;
    this.rateLimitedOnce.add(model);
    return true;
  }

  /**
   * `fail=p` fails exactly ⌊n·p⌋ of the first n requests, spread evenly: deterministic, so a test knows which
   * attempt fails, yet the long-run rate is p.
   */
  shouldFail(model: string, probability: number): boolean {
    const n = (this.attempts.get(model) ?? 0) + 1;
    this.attempts.set(model, n);
    return Math.floor(n * probability) > Math.floor((n - 1) * probability);
  }
}

export interface ChatFlowDeps {
  defaults: ScenarioTiming;
  state: ScenarioState;
  /** Called once the model name is known, so the request log shows it. */
  noteModel(model: string): void;
}

const idPrefix: Record<ChatProtocol['name'], string> = { openai: 'chatcmpl-', ollama: '', anthropic: 'msg_' };

function sendError(
  exchange: Exchange,
  protocol: ChatProtocol,
  error: ProtocolError,
  headers: Record<string, string> = {},
): void {
  const { status, body } = protocol.errorResponse(error);
  exchange.sendJson(status, body, headers);
}

/** Faults decided before any generation: each answers with an error (or nothing) instead of a completion. */
async function injectUpfrontFault(
  exchange: Exchange,
  protocol: ChatProtocol,
  model: ResolvedModel,
  state: ScenarioState,
): Promise<boolean> {
  const { scenario, overrides, requested } = model;
  const rateLimit = (retryAfter: number): boolean => {
    exchange.faulted = true;
    sendError(exchange, protocol, { kind: 'rate-limit', model: requested }, { 'retry-after': String(retryAfter) });
    return true;
  };
  switch (scenario.name) {
    case 'mock-fault-401':
      exchange.faulted = true;
      sendError(exchange, protocol, { kind: 'invalid-key', presentedKey: 'mock-fault-401' });
      return true;
    case 'mock-fault-429':
      return rateLimit(overrides.retryAfter ?? 2);
    case 'mock-fault-429-once':
      if (state.firstSighting(requested)) return rateLimit(overrides.retryAfter ?? 1);
      break;
    case 'mock-fault-500':
      exchange.faulted = true;
      sendError(exchange, protocol, { kind: 'server' });
      return true;
    case 'mock-fault-stall-headers':
      // Accept the request and never answer; the exchange records the client giving up.
      exchange.faulted = true;
      return true;
    default:
      break;
  }
  if (overrides.fail !== undefined && state.shouldFail(requested, overrides.fail)) {
    exchange.faulted = true;
    sendError(exchange, protocol, { kind: 'server' });
    return true;
  }
  return false;
}

function tokenInterval(timing: ScenarioTiming): number {
  return timing.tokensPerSecond > 0 ? 1000 / timing.tokensPerSecond : 0;
}

/** Frames for one streamed answer, with the scenario's mid-stream fault spliced in. */
function streamPlan(
  format: StreamFormat,
  model: ResolvedModel,
  generation: Generation,
): { frames: Frame[]; ending: Ending } {
  const { ttftMs } = model.timing;
  const interval = tokenInterval(model.timing);
  const tokenAt = (index: number): number => ttftMs + index * interval;
  const pieceFrames: Frame[] = generation.pieces.map((_, index) => ({
    at: tokenAt(index),
    render: () => format.piece(index),
  }));
  const opening: Frame = { at: 0, render: format.opening };
  const closing: Frame = { at: tokenAt(Math.max(0, pieceFrames.length - 1)), render: format.closing };
  const after = (fallback: number): number => Math.min(model.overrides.after ?? fallback, pieceFrames.length);

  switch (model.scenario.name) {
    case 'mock-fault-stall':
      return { frames: [opening, ...pieceFrames.slice(0, after(3))], ending: 'hang' };
    case 'mock-fault-reset':
      return { frames: [opening, ...pieceFrames.slice(0, after(5))], ending: 'destroy' };
    case 'mock-fault-truncated':
      return { frames: [opening, ...pieceFrames.slice(0, after(5))], ending: 'end' };
    case 'mock-fault-malformed': {
      const cut = after(3);
      const broken: Frame = { at: tokenAt(Math.max(0, cut - 1)), render: format.malformed };
      return {
        frames: [opening, ...pieceFrames.slice(0, cut), broken, ...pieceFrames.slice(cut), closing],
        ending: 'end',
      };
    }
    default:
      return { frames: [opening, ...pieceFrames, closing], ending: 'end' };
  }
}

function isStreamFault(model: ResolvedModel): boolean {
  return ['mock-fault-stall', 'mock-fault-reset', 'mock-fault-truncated', 'mock-fault-malformed'].includes(
    model.scenario.name,
  );
}

function stream(exchange: Exchange, protocol: ChatProtocol, context: ChatContext): void {
  const format = protocol.streamFormat(context);
  if (isStreamFault(context.model)) exchange.faulted = true;
  exchange.res.writeHead(200, format.headers);
  // Headers go out now, not with the first token: the time to first token is then visible to the client.
  exchange.res.flushHeaders();
  const { frames, ending } = streamPlan(format, context.model, context.generation);
  playFrames(exchange, frames, ending);
}

/** A non-streamed answer arrives whole once the simulated generation would have finished. */
async function complete(exchange: Exchange, protocol: ChatProtocol, context: ChatContext): Promise<void> {
  const { timing, scenario } = context.model;
  const pieces = context.generation.pieces.length;
  if (!(await exchange.wait(timing.ttftMs + Math.max(0, pieces - 1) * tokenInterval(timing)))) return;
  const body = JSON.stringify(protocol.completeBody(context));
  const half = body.slice(0, Math.floor(body.length / 2));
  const { res } = exchange;
  switch (scenario.name) {
    case 'mock-fault-stall':
      exchange.faulted = true;
      res.writeHead(200, protocol.completeHeaders);
      res.flushHeaders();
      return;
    case 'mock-fault-reset':
      res.writeHead(200, protocol.completeHeaders);
      exchange.writeThenDestroy(half);
      return;
    case 'mock-fault-truncated':
      exchange.faulted = true;
      res.writeHead(200, protocol.completeHeaders);
      res.end(half);
      return;
    case 'mock-fault-malformed':
      exchange.faulted = true;
      exchange.sendText(200, `${half}"brok${body.slice(half.length)}`, protocol.completeHeaders);
      return;
    default:
      exchange.sendText(200, body, protocol.completeHeaders);
  }
}

function thinkingCapable(model: ResolvedModel): boolean {
  return model.scenario.capabilities.includes('reasoning');
}

export async function handleChat(
  exchange: Exchange,
  protocol: ChatProtocol,
  body: unknown,
  deps: ChatFlowDeps,
): Promise<void> {
  const startedNs = process.hrtime.bigint();
  const parsed = protocol.parseChat(body);
  if (!parsed.ok) {
    if (isRecord(body) && typeof body.model === 'string') deps.noteModel(body.model);
    sendError(exchange, protocol, parsed.error);
    return;
  }
  const call: ChatCall = parsed.call;
  deps.noteModel(call.model);

  const resolution = resolveModel(call.model, deps.defaults);
  if (!resolution.ok) {
    const error: ProtocolError =
      resolution.reason === 'unknown-model'
        ? { kind: 'model-not-found', model: call.model }
        : { kind: 'invalid-request', message: resolution.message, param: 'model' };
    sendError(exchange, protocol, error);
    return;
  }
  const model = resolution.model;
  if (call.thinkingRequired && !thinkingCapable(model)) {
    sendError(exchange, protocol, {
      kind: 'invalid-request',
      message: `${JSON.stringify(call.model)} does not support thinking`,
    });
    return;
  }

  if (!(await exchange.wait(model.timing.latencyMs))) return;
  if (await injectUpfrontFault(exchange, protocol, model, deps.state)) return;

  if (call.loadOnly) {
    exchange.sendJson(200, {
      model: call.model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: '' },
      done_reason: 'load',
      done: true,
    });
    return;
  }

  const generation = generate(model, {
    lastUserText: call.lastUserText,
    maxTokens: call.maxTokens,
    stop: call.stop,
    nativeReasoning: call.nativeReasoning,
  });
  const context: ChatContext = {
    call,
    model,
    generation,
    promptTokens: countWords(call.promptTexts),
    responseId: `${idPrefix[protocol.name]}${randomBytes(12).toString('hex')}`,
    created: Math.floor(Date.now() / 1000),
    startedNs,
  };
  if (call.stream) stream(exchange, protocol, context);
  else await complete(exchange, protocol, context);
}
