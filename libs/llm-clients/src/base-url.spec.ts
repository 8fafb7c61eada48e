import { describe, expect, it } from 'vitest';
import { anthropicEndpoints, ollamaEndpoints, openAiEndpoints, resolveEndpoints } from './base-url';
import { LlmError } from './types';

describe('base URL resolution', () => {
  it.each([
    ['https://api.openai.com', 'https://api.openai.com/v1/chat/completions', 'https://api.openai.com/v1/models'],
    ['https://api.openai.com/', 'https://api.openai.com/v1/chat/completions', 'https://api.openai.com/v1/models'],
    ['https://api.openai.com/v1/', 'https://api.openai.com/v1/chat/completions', 'https://api.openai.com/v1/models'],
    ['https://api.deepseek.com', 'https://api.deepseek.com/v1/chat/completions', 'https://api.deepseek.com/v1/models'],
    [
      'https://open.bigmodel.cn/api/paas/v4',
      'https://open.bigmodel.cn/api/paas/v4/chat/completions',
      'https://open.bigmodel.cn/api/paas/v4/models',
    ],
    [
      'http://localhost:8000/v1/chat/completions',
      'http://localhost:8000/v1/chat/completions',
      'http://localhost:8000/v1/models',
    ],
    [
      'https://gw.example.com/openai/v1?tenant=a',
      'https://gw.example.com/openai/v1/chat/completions?tenant=a',
      'https://gw.example.com/openai/v1/models?tenant=a',
    ],
  ])('OpenAI-compatible %s', (baseUrl, chat, models) => {
    const endpoints = openAiEndpoints(baseUrl);
    expect(endpoints.chat.href).toBe(chat);
    expect(endpoints.models.href).toBe(models);
  });

  it.each([
    'http://localhost:11434',
    'http://localhost:11434/',
    'http://localhost:11434/api',
    'http://localhost:11434/v1/',
    'http://localhost:11434/api/chat',
    'http://localhost:11434/v1/chat/completions',
  ])('Ollama %s', (baseUrl) => {
    expect(ollamaEndpoints(baseUrl)).toEqual({
      chat: new URL('http://localhost:11434/api/chat'),
      models: new URL('http://localhost:11434/api/tags'),
      show: new URL('http://localhost:11434/api/show'),
    });
  });

  it('keeps a reverse-proxy prefix in front of Ollama', () => {
    expect(ollamaEndpoints('https://gpu.example.com/ollama/api').chat.href).toBe(
      'https://gpu.example.com/ollama/api/chat',
    );
  });

  it.each([
    'https://api.anthropic.com',
    'https://api.anthropic.com/',
    'https://api.anthropic.com/v1',
    'https://api.anthropic.com/v1/',
    'https://api.anthropic.com/v1/messages',
  ])('Anthropic %s', (baseUrl) => {
    expect(anthropicEndpoints(baseUrl)).toEqual({
      chat: new URL('https://api.anthropic.com/v1/messages'),
      models: new URL('https://api.anthropic.com/v1/models'),
    });
  });

  it('rejects what is not an http(s) URL with a readable message', () => {
    expect(() => resolveEndpoints('openai', 'localhost:8000')).toThrow(LlmError);
    expect(() => resolveEndpoints('openai', 'not a url')).toThrow('invalid base URL "not a url"');
    expect(() => resolveEndpoints('ollama', 'ftp://example.com')).toThrow(/http:\/\/ or https:\/\//);
  });
});
