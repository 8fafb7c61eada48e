import { describe, expect, it } from 'vitest';
import { describeLlmError } from './describe-error';
import { LlmError } from './types';

describe('describeLlmError', () => {
  it.each([
    [
      new LlmError('auth', 'Invalid x-api-key', 401),
      {},
      'The provider rejected the API key (HTTP 401): Invalid x-api-key',
    ],
    [
      new LlmError('network', 'could not connect to http://gpu-01:11434 (connection refused)'),
      { baseUrl: 'http://gpu-01:11434' },
      'Could not reach gpu-01:11434: could not connect (connection refused)',
    ],
    [
      new LlmError('network', 'the connection to http://gpu-01:11434 broke in the middle of the response'),
      { baseUrl: 'http://gpu-01:11434' },
      'Lost the connection to gpu-01:11434: the connection broke in the middle of the response',
    ],
    [
      new LlmError('not_found', 'model "qwen9" not found', 404),
      { model: 'qwen9' },
      `Unknown model 'qwen9': model "qwen9" not found`,
    ],
    [
      new LlmError('timeout', 'first-byte timeout: http://x sent no data within 120000 ms'),
      {},
      'Timed out: first-byte timeout: http://x sent no data within 120000 ms',
    ],
    [
      new LlmError('rate_limit', 'Too many requests', 429, 20_000),
      {},
      'Rate limited; retry after 20 s: Too many requests',
    ],
    [new LlmError('rate_limit', 'Too many requests', 429), {}, 'Rate limited: Too many requests'],
    [new LlmError('upstream', 'Overloaded', 529), {}, 'The provider failed (HTTP 529): Overloaded'],
    [
      new LlmError('bad_request', 'max_tokens too large', 400),
      {},
      'The provider rejected the request (HTTP 400): max_tokens too large',
    ],
    [
      new LlmError('truncated', 'the stream ended without a finish reason'),
      {},
      'The response was cut off: the stream ended without a finish reason',
    ],
    [new LlmError('aborted', 'the request was cancelled'), {}, 'Cancelled'],
  ])('describes %s', (error, context, expected) => {
    expect(describeLlmError(error, context)).toBe(expected);
  });

  it('accepts stream error events and plain errors', () => {
    expect(describeLlmError({ type: 'error', kind: 'upstream', message: 'boom' })).toBe('The provider failed: boom');
    expect(describeLlmError(new Error('something else'))).toBe('something else');
  });

  it('names the provider instead of its address for the people using a model', () => {
    const context = { baseUrl: 'http://10.0.3.7:8000/v1', providerName: 'DeepSeek' };
    expect(
      describeLlmError(
        new LlmError('timeout', 'idle timeout: http://10.0.3.7:8000 sent nothing for 60000 ms'),
        context,
      ),
    ).toBe('Timed out: idle timeout: DeepSeek sent nothing for 60000 ms');
    expect(describeLlmError(new LlmError('network', 'could not connect to http://10.0.3.7:8000/v1'), context)).toBe(
      'Could not reach DeepSeek: could not connect',
    );
  });
});
