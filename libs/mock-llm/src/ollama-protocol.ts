import {
  type ChatContext,
  type ChatProtocol,
  contentText,
  isRecord,
  type ParseResult,
  type ProtocolError,
  type StreamFormat,
  stringList,
} from './chat-protocol';
import type { FinishKind } from './generation';

/** Ollama answers every error as `{ "error": "<text>" }`; the wording follows Ollama's own. */
function errorResponse(error: ProtocolError): { status: number; body: unknown } {
  switch (error.kind) {
    case 'missing-key':
    case 'invalid-key':
      return { status: 401, body: { error: error.message ?? 'unauthorized' } };
    case 'rate-limit':
      return { status: 429, body: { error: error.message ?? 'too many requests, please retry later' } };
    case 'server':
      return { status: 500, body: { error: error.message ?? 'llama runner process has terminated: exit status 2' } };
    case 'model-not-found':
      return { status: 404, body: { error: error.message ?? `model '${error.model ?? ''}' not found` } };
    case 'route-not-found':
      return { status: 404, body: { error: '404 page not found' } };
    case 'invalid-request':
      return { status: 400, body: { error: error.message ?? 'invalid request' } };
  }
}

function parseChat(body: unknown): ParseResult {
  if (!isRecord(body)) return { ok: false, error: { kind: 'invalid-request', message: 'invalid request body' } };
  if (typeof body.model !== 'string' || body.model === '') {
    return { ok: false, error: { kind: 'invalid-request', message: 'model is required' } };
  }
  const messages = Array.isArray(body.messages) ? body.messages.filter(isRecord) : [];
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const options = isRecord(body.options) ? body.options : {};
  const numPredict =
    typeof options.num_predict === 'number' && options.num_predict > 0 ? Math.floor(options.num_predict) : undefined;
  // `think` is a boolean, or an effort level string for gpt-oss style models; only `false` turns thinking off.
  const think = body.think;
  return {
    ok: true,
    call: {
      model: body.model,
      // Ollama streams unless told otherwise.
      stream: body.stream !== false,
      promptTexts: messages.map((message) => contentText(message.content)),
      lastUserText: lastUser ? contentText(lastUser.content) : '',
      maxTokens: numPredict,
      stop: stringList(options.stop),
      nativeReasoning: think !== false,
      thinkingRequired: think === true || typeof think === 'string',
      includeUsage: false,
      loadOnly: messages.length === 0,
    },
  };
}

function doneReason(finish: FinishKind): 'stop' | 'length' {
  return finish === 'length' ? 'length' : 'stop';
}

/** Ollama's closing statistics; durations are nanoseconds measured from the request's arrival. */
function statistics(context: ChatContext, firstTokenNs: bigint | undefined): Record<string, unknown> {
  const now = process.hrtime.bigint();
  const total = now - context.startedNs;
  const firstToken = firstTokenNs === undefined || firstTokenNs > now ? now : firstTokenNs;
  const promptPhase = firstToken - context.startedNs;
  const load = promptPhase < 1_000_000n ? promptPhase : 1_000_000n;
  return {
    done_reason: doneReason(context.generation.finish),
    done: true,
    total_duration: Number(total),
    load_duration: Number(load),
    prompt_eval_count: context.promptTokens,
    prompt_eval_duration: Number(promptPhase - load),
    eval_count: context.generation.completionTokens,
    eval_duration: Number(total - promptPhase),
  };
}

function streamFormat(context: ChatContext): StreamFormat {
  let firstTokenNs: bigint | undefined;
  const line = (payload: Record<string, unknown>): string => `${JSON.stringify(payload)}\n`;
  return {
    headers: { 'content-type': 'application/x-ndjson' },
    opening: () => '',
    piece: (index) => {
      firstTokenNs ??= process.hrtime.bigint();
      const piece = context.generation.pieces[index];
      const message =
        piece.kind === 'reasoning'
          ? { role: 'assistant', content: '', thinking: piece.text }
          : { role: 'assistant', content: piece.text };
      return line({ model: context.model.requested, created_at: new Date().toISOString(), message, done: false });
    },
    closing: () =>
      line({
        model: context.model.requested,
        created_at: new Date().toISOString(),
        message: { role: 'assistant', content: '' },
        ...statistics(context, firstTokenNs),
      }),
    malformed: () =>
      `{"model":"${context.model.requested}","created_at":"${new Date().toISOString()}","message":{"role":"assistant","content":"brok\n`,
  };
}

function completeBody(context: ChatContext): unknown {
  const { generation } = context;
  const { timing } = context.model;
  const message: Record<string, unknown> = { role: 'assistant', content: generation.contentText };
  if (generation.reasoningText !== '') message.thinking = generation.reasoningText;
  return {
    model: context.model.requested,
    created_at: new Date().toISOString(),
    message,
    // A non-streamed answer has no observed first token; the scenario's own delay before it stands in.
    ...statistics(context, context.startedNs + BigInt(Math.round((timing.latencyMs + timing.ttftMs) * 1e6))),
  };
}

export const ollamaProtocol: ChatProtocol = {
  name: 'ollama',
  errorResponse,
  parseChat,
  streamFormat,
  completeBody,
  completeHeaders: { 'content-type': 'application/json; charset=utf-8' },
};
