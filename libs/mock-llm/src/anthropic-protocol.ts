import { createHash } from 'node:crypto';
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

/** Smallest thinking budget the Messages API accepts. */
const MIN_THINKING_BUDGET = 1024;

function anthropicError(status: number, type: string, message: string) {
  return { status, body: { type: 'error', error: { type, message } } };
}

function errorResponse(error: ProtocolError): { status: number; body: unknown } {
  switch (error.kind) {
    case 'missing-key':
      return anthropicError(401, 'authentication_error', error.message ?? 'x-api-key header is required');
    case 'invalid-key':
      return anthropicError(401, 'authentication_error', error.message ?? 'invalid x-api-key');
    case 'rate-limit':
      return anthropicError(
        429,
        'rate_limit_error',
        error.message ?? 'This request would exceed the rate limit for your organization. Please try again later.',
      );
    case 'server':
      return anthropicError(500, 'api_error', error.message ?? 'Internal server error');
    case 'model-not-found':
      return anthropicError(404, 'not_found_error', error.message ?? `model: ${error.model ?? ''}`);
    case 'route-not-found':
      return anthropicError(404, 'not_found_error', 'Not Found');
    case 'invalid-request':
      return anthropicError(400, 'invalid_request_error', error.message ?? 'invalid request');
  }
}

function invalid(message: string): ParseResult {
  return { ok: false, error: { kind: 'invalid-request', message } };
}

function parseChat(body: unknown): ParseResult {
  if (!isRecord(body)) return invalid('Input should be a valid dictionary');
  if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required');
  if (body.max_tokens === undefined) return invalid('max_tokens: Field required');
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
  }
  if (!Array.isArray(body.messages)) return invalid('messages: Field required');
  if (body.messages.length === 0) return invalid('messages: at least one message is required');

  let nativeReasoning = true;
  if (isRecord(body.thinking)) {
    if (body.thinking.type === 'disabled') nativeReasoning = false;
    else if (body.thinking.type === 'enabled') {
      const budget = body.thinking.budget_tokens;
      if (typeof budget !== 'number' || !Number.isInteger(budget))
        return invalid('thinking.enabled.budget_tokens: Field required');
      if (budget < MIN_THINKING_BUDGET) {
        return invalid(
          `thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`,
        );
      }
      if (maxTokens <= budget) return invalid('`max_tokens` must be greater than `thinking.budget_tokens`.');
    }
  }

  const messages = body.messages.filter(isRecord);
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const system = contentText(body.system);
  return {
    ok: true,
    call: {
      model: body.model,
      stream: body.stream === true,
      promptTexts: [system, ...messages.map((message) => contentText(message.content))],
      lastUserText: lastUser ? contentText(lastUser.content) : '',
      maxTokens,
      stop: stringList(body.stop_sequences),
      nativeReasoning,
      thinkingRequired: false,
      includeUsage: false,
      loadOnly: false,
    },
  };
}

function stopReason(finish: FinishKind): 'end_turn' | 'max_tokens' | 'stop_sequence' {
  if (finish === 'length') return 'max_tokens';
  if (finish === 'stop-sequence') return 'stop_sequence';
  return 'end_turn';
}

/** Real signatures are opaque and only verified by Anthropic; a stable digest keeps the mock deterministic. */
function signatureFor(thinking: string): string {
  const digest = createHash('sha256').update(thinking).digest('base64');
  return `Eq${digest}${createHash('sha256').update(digest).digest('base64')}`;
}

function event(type: string, payload: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
}

function startUsage(context: ChatContext): Record<string, number> {
  return {
    input_tokens: context.promptTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: 1,
  };
}

function streamFormat(context: ChatContext): StreamFormat {
  const { generation } = context;
  let blockIndex = -1;
  let openKind: 'thinking' | 'text' | undefined;
  let thinkingSoFar = '';

  const closeBlock = (): string => {
    if (openKind === undefined) return '';
    let frames = '';
    if (openKind === 'thinking') {
      frames += event('content_block_delta', {
        index: blockIndex,
        delta: { type: 'signature_delta', signature: signatureFor(thinkingSoFar) },
      });
    }
    openKind = undefined;
    return frames + event('content_block_stop', { index: blockIndex });
  };

  const openBlock = (kind: 'thinking' | 'text'): string => {
    const frames = closeBlock();
    blockIndex++;
    openKind = kind;
    const block = kind === 'thinking' ? { type: 'thinking', thinking: '' } : { type: 'text', text: '' };
    return frames + event('content_block_start', { index: blockIndex, content_block: block });
  };

  return {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    },
    opening: () =>
      event('message_start', {
        message: {
          id: context.responseId,
          type: 'message',
          role: 'assistant',
          model: context.model.requested,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: startUsage(context),
        },
      }) + event('ping', {}),
    piece: (index) => {
      const piece = generation.pieces[index];
      const kind = piece.kind === 'reasoning' ? 'thinking' : 'text';
      const frames = openKind === kind ? '' : openBlock(kind);
      if (kind === 'thinking') {
        thinkingSoFar += piece.text;
        return (
          frames +
          event('content_block_delta', { index: blockIndex, delta: { type: 'thinking_delta', thinking: piece.text } })
        );
      }
      return (
        frames + event('content_block_delta', { index: blockIndex, delta: { type: 'text_delta', text: piece.text } })
      );
    },
    closing: () => {
      // Even an empty answer has one (empty) text block.
      const frames = (blockIndex < 0 ? openBlock('text') : '') + closeBlock();
      return (
        frames +
        event('message_delta', {
          delta: { stop_reason: stopReason(generation.finish), stop_sequence: generation.stopSequence ?? null },
          usage: { output_tokens: generation.completionTokens },
        }) +
        event('message_stop', {})
      );
    },
    malformed: () =>
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":${Math.max(blockIndex, 0)},"delta":{"type":"text_delta","text":"brok\n\n`,
  };
}

function completeBody(context: ChatContext): unknown {
  const { generation } = context;
  const content: Array<Record<string, unknown>> = [];
  if (generation.reasoningText !== '') {
    content.push({
      type: 'thinking',
      thinking: generation.reasoningText,
      signature: signatureFor(generation.reasoningText),
    });
  }
  if (generation.contentText !== '' || content.length === 0)
    content.push({ type: 'text', text: generation.contentText });
  return {
    id: context.responseId,
    type: 'message',
    role: 'assistant',
    model: context.model.requested,
    content,
    stop_reason: stopReason(generation.finish),
    stop_sequence: generation.stopSequence ?? null,
    usage: { ...startUsage(context), output_tokens: generation.completionTokens },
  };
}

export const anthropicProtocol: ChatProtocol = {
  name: 'anthropic',
  errorResponse,
  parseChat,
  streamFormat,
  completeBody,
  completeHeaders: { 'content-type': 'application/json' },
};
