import {
  type ChatContext,
  type ChatProtocol,
  contentText,
  isRecord,
  maskKey,
  type ParseResult,
  type ProtocolError,
  type StreamFormat,
  stringList,
} from './chat-protocol';
import type { FinishKind, TokenPiece } from './generation';

/** OpenAI's error object. Wording and codes follow api.openai.com, which compatible servers imitate. */
function openAiError(status: number, message: string, type: string, code: string | null, param: string | null = null) {
  return { status, body: { error: { message, type, param, code } } };
}

function errorResponse(error: ProtocolError): { status: number; body: unknown } {
  switch (error.kind) {
    case 'missing-key':
      return openAiError(
        401,
        error.message ??
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        'invalid_request_error',
        null,
      );
    case 'invalid-key':
      return openAiError(
        401,
        error.message ?? `Incorrect API key provided: ${maskKey(error.presentedKey ?? '')}.`,
        'invalid_request_error',
        'invalid_api_key',
      );
    case 'rate-limit':
      return openAiError(
        429,
        error.message ??
          `Rate limit reached for ${error.model ?? 'this model'} on requests per min (RPM). Please try again later.`,
        'requests',
        'rate_limit_exceeded',
      );
    case 'server':
      return openAiError(
        500,
        error.message ?? 'The server had an error while processing your request. Sorry about that!',
        'server_error',
        null,
      );
    case 'model-not-found':
      return openAiError(
        404,
        error.message ?? `The model \`${error.model ?? ''}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        'model_not_found',
      );
    case 'route-not-found':
      return openAiError(
        404,
        `Invalid URL (${error.method ?? 'GET'} ${error.path ?? '/'})`,
        'invalid_request_error',
        null,
      );
    case 'invalid-request':
      return openAiError(
        400,
        error.message ?? 'Invalid request.',
        'invalid_request_error',
        error.code ?? null,
        error.param ?? null,
      );
  }
}

function invalid(message: string, param: string | undefined, code?: string): ParseResult {
  return { ok: false, error: { kind: 'invalid-request', message, param, code } };
}

function parseChat(body: unknown): ParseResult {
  if (!isRecord(body)) return invalid('We could not parse the JSON body of your request.', undefined);
  if (typeof body.model !== 'string' || body.model === '') {
    return invalid('you must provide a model parameter', undefined);
  }
  if (!Array.isArray(body.messages)) {
    return invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  }
  if (body.messages.length === 0) {
    return invalid(
      "Invalid 'messages': empty array. Expected an array with minimum length 1.",
      'messages',
      'empty_array',
    );
  }
  // Newer clients send max_completion_tokens; older ones and most compatible servers still use max_tokens.
  const maxParam = body.max_completion_tokens !== undefined ? 'max_completion_tokens' : 'max_tokens';
  const max = body[maxParam];
  if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) {
    return invalid(
      `Invalid '${maxParam}': integer below minimum value. Expected a value >= 1, but got ${JSON.stringify(max)} instead.`,
      maxParam,
      'integer_below_min_value',
    );
  }
  const messages = body.messages.filter(isRecord);
  const lastUser = [...messages].reverse().find((message) => message.role === 'user');
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
  return {
    ok: true,
    call: {
      model: body.model,
      stream: body.stream === true,
      promptTexts: messages.map((message) => contentText(message.content)),
      lastUserText: lastUser ? contentText(lastUser.content) : '',
      maxTokens: typeof max === 'number' ? max : undefined,
      stop: stringList(body.stop),
      nativeReasoning: true,
      thinkingRequired: false,
      includeUsage: body.stream === true && streamOptions.include_usage === true,
      loadOnly: false,
    },
  };
}

function finishReason(finish: FinishKind): 'stop' | 'length' {
  return finish === 'length' ? 'length' : 'stop';
}

/**
 * DeepSeek's API names the reasoning delta `reasoning_content` and sends the other field as null;
 * OpenRouter and vLLM name it `reasoning`.
 */
function reasoningDelta(context: ChatContext, piece: TokenPiece): Record<string, unknown> {
  if (context.model.scenario.name === 'mock-reasoning-field') return { reasoning: piece.text };
  return { content: null, reasoning_content: piece.text };
}

function contentDelta(context: ChatContext, piece: TokenPiece): Record<string, unknown> {
  if (context.model.scenario.name === 'mock-reasoning') return { content: piece.text, reasoning_content: null };
  return { content: piece.text };
}

function streamFormat(context: ChatContext): StreamFormat {
  const { generation } = context;
  let roleSent = false;

  const chunk = (delta: Record<string, unknown>, finish: string | null): string => {
    const payload: Record<string, unknown> = {
      id: context.responseId,
      object: 'chat.completion.chunk',
      created: context.created,
      model: context.model.requested,
      system_fingerprint: 'fp_modelyard_mock',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    // With include_usage every chunk carries `usage: null` until the dedicated usage chunk, as OpenAI does.
    if (context.call.includeUsage) payload.usage = null;
    return `data: ${JSON.stringify(payload)}\n\n`;
  };

  const roleChunk = (): string => {
    if (roleSent) return '';
    roleSent = true;
    const first = generation.pieces[0];
    const reasoningFirst = first?.kind === 'reasoning' && context.model.scenario.name === 'mock-reasoning';
    return chunk(
      reasoningFirst ? { role: 'assistant', content: null, reasoning_content: '' } : { role: 'assistant', content: '' },
      null,
    );
  };

  return {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    },
    opening: () => '',
    piece: (index) => {
      const piece = generation.pieces[index];
      const delta = piece.kind === 'reasoning' ? reasoningDelta(context, piece) : contentDelta(context, piece);
      return roleChunk() + chunk(delta, null);
    },
    closing: () => {
      let frames = roleChunk() + chunk({}, finishReason(generation.finish));
      if (context.call.includeUsage) {
        const usage = {
          id: context.responseId,
          object: 'chat.completion.chunk',
          created: context.created,
          model: context.model.requested,
          system_fingerprint: 'fp_modelyard_mock',
          choices: [],
          usage: usageOf(context),
        };
        frames += `data: ${JSON.stringify(usage)}\n\n`;
      }
      return `${frames}data: [DONE]\n\n`;
    },
    malformed: () =>
      `data: {"id":"${context.responseId}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"brok\n\n`,
  };
}

function usageOf(context: ChatContext): Record<string, unknown> {
  const { generation, promptTokens } = context;
  const reasoningTokens = generation.pieces.filter((piece) => piece.kind === 'reasoning').length;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: generation.completionTokens,
    total_tokens: promptTokens + generation.completionTokens,
    completion_tokens_details: { reasoning_tokens: reasoningTokens },
  };
}

function completeBody(context: ChatContext): unknown {
  const { generation } = context;
  const message: Record<string, unknown> = { role: 'assistant', content: generation.contentText, refusal: null };
  if (generation.reasoningText !== '') {
    const field = context.model.scenario.name === 'mock-reasoning-field' ? 'reasoning' : 'reasoning_content';
    message[field] = generation.reasoningText;
  }
  return {
    id: context.responseId,
    object: 'chat.completion',
    created: context.created,
    model: context.model.requested,
    system_fingerprint: 'fp_modelyard_mock',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(generation.finish) }],
    usage: usageOf(context),
  };
}

export const openAiProtocol: ChatProtocol = {
  name: 'openai',
  errorResponse,
  parseChat,
  streamFormat,
  completeBody,
  completeHeaders: { 'content-type': 'application/json' },
};
