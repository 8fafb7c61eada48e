import { describe, expect, it } from 'vitest';
import { buildRequestCredentials, resolveAuthStyle, secretsOf } from './auth';
import { createLlmClient } from './client';
import { DEEPSEEK_REASONER_SSE } from './testing/recorded-frames';
import { collect, replay, sendJson } from './testing/stub-upstream';
import { useStubUpstream } from './testing/use-stub-upstream';

const base = { baseUrl: 'http://upstream.test' };

describe('request credentials', () => {
  it('sends a bearer token for OpenAI-compatible servers with a key, nothing without', () => {
    expect(buildRequestCredentials({ ...base, kind: 'openai', apiKey: 'sk-1' })).toEqual({
      headers: { authorization: 'Bearer sk-1' },
      query: {},
    });
    expect(buildRequestCredentials({ ...base, kind: 'openai' })).toEqual({ headers: {}, query: {} });
  });

  it('trims a pasted key so a trailing newline does not break the header', () => {
    expect(buildRequestCredentials({ ...base, kind: 'openai', apiKey: '  sk-1\n' }).headers.authorization).toBe(
      'Bearer sk-1',
    );
  });

  it('puts the raw key in the named header for the header style', () => {
    const credentials = buildRequestCredentials({
      ...base,
      kind: 'openai',
      apiKey: 'gw-key',
      authStyle: 'header',
      authHeaderName: 'X-Gateway-Key',
    });
    expect(credentials.headers).toEqual({ 'x-gateway-key': 'gw-key' });
  });

  it('uses api-key and the api-version query for Azure', () => {
    expect(
      buildRequestCredentials({
        ...base,
        kind: 'openai',
        apiKey: 'az-key',
        authStyle: 'azure',
        apiVersion: '2024-10-21',
      }),
    ).toEqual({ headers: { 'api-key': 'az-key' }, query: { 'api-version': '2024-10-21' } });
  });

  it('sends no credentials for the none style even when a key is stored', () => {
    expect(buildRequestCredentials({ ...base, kind: 'openai', apiKey: 'sk-1', authStyle: 'none' }).headers).toEqual({});
  });

  it('defaults Anthropic to x-api-key plus anthropic-version, which apiVersion overrides', () => {
    expect(buildRequestCredentials({ ...base, kind: 'anthropic', apiKey: 'sk-ant' }).headers).toEqual({
      'anthropic-version': '2023-06-01',
      'x-api-key': 'sk-ant',
    });
    expect(
      buildRequestCredentials({ ...base, kind: 'anthropic', apiKey: 'sk-ant', apiVersion: '2024-01-01' }).headers[
        'anthropic-version'
      ],
    ).toBe('2024-01-01');
    // A gateway in front of Anthropic that wants a bearer token still gets the version header.
    expect(buildRequestCredentials({ ...base, kind: 'anthropic', apiKey: 'gw', authStyle: 'bearer' }).headers).toEqual({
      'anthropic-version': '2023-06-01',
      authorization: 'Bearer gw',
    });
  });

  it('defaults Ollama to no credentials, and to a bearer token when a key exists (a proxy in front)', () => {
    expect(resolveAuthStyle({ ...base, kind: 'ollama' })).toBe('none');
    expect(resolveAuthStyle({ ...base, kind: 'ollama', apiKey: 'proxy' })).toBe('bearer');
  });

  it('adds extra headers, which cannot displace the key', () => {
    const credentials = buildRequestCredentials({
      ...base,
      kind: 'openai',
      apiKey: 'sk-1',
      headers: {
        'OpenAI-Organization': 'org-42',
        Authorization: 'Bearer stale',
        'HTTP-Referer': 'https://modelyard.local',
      },
    });
    expect(credentials.headers).toEqual({
      'openai-organization': 'org-42',
      authorization: 'Bearer sk-1',
      'http-referer': 'https://modelyard.local',
    });
  });

  it('treats the key and credential-like extra headers as secrets', () => {
    expect(
      secretsOf({
        ...base,
        kind: 'openai',
        apiKey: 'sk-1 ',
        headers: { 'X-Gateway-Token': 'Bearer gw-secret', 'X-Title': 'Modelyard' },
      }).sort(),
    ).toEqual(['Bearer gw-secret', 'gw-secret', 'sk-1', 'sk-1 '].sort());
    // A key in the base URL's query is one too (an api-version is not).
    expect(
      secretsOf({
        kind: 'openai',
        baseUrl: 'http://upstream.test/v1?api_key=QUERYSECRET987&api-version=2024-10-21',
      }),
    ).toEqual(['QUERYSECRET987']);
  });
});

describe('credentials on the wire', () => {
  const stub = useStubUpstream({ kind: 'openai' });

  it('sends Azure api-key with api-version on every endpoint, keeping the deployment path', async () => {
    const deployment = '/openai/deployments/gpt-4o-prod';
    stub.upstream.on('POST', `${deployment}/chat/completions`, (res) =>
      replay(res, 'text/event-stream', DEEPSEEK_REASONER_SSE),
    );
    stub.upstream.on('GET', `${deployment}/models`, (res) => sendJson(res, 200, { data: [] }));
    const client = createLlmClient(
      stub.connection({
        baseUrl: `${stub.upstream.origin}${deployment}`,
        apiKey: 'azure-key-1',
        authStyle: 'azure',
        apiVersion: '2024-10-21',
        headers: { 'x-ms-client-request-id': 'req-7' },
      }),
    );
    const events = await collect(client.streamChat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }));
    await client.listModels();

    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
    for (const sent of stub.upstream.requests) {
      expect(sent.query.get('api-version')).toBe('2024-10-21');
      expect(sent.headers['api-key']).toBe('azure-key-1');
      expect(sent.headers['x-ms-client-request-id']).toBe('req-7');
      expect(sent.headers.authorization).toBeUndefined();
    }
  });

  it('sends a custom key header and extra headers to an Ollama behind a gateway', async () => {
    stub.upstream.on('GET', '/api/tags', (res) => sendJson(res, 200, { models: [] }));
    await createLlmClient(
      stub.connection({
        kind: 'ollama',
        apiKey: 'gw-key',
        authStyle: 'header',
        authHeaderName: 'X-Api-Token',
        headers: { 'X-Team': 'research' },
      }),
    ).listModels();

    expect(stub.upstream.requests[0]?.headers['x-api-token']).toBe('gw-key');
    expect(stub.upstream.requests[0]?.headers['x-team']).toBe('research');
    expect(stub.upstream.requests[0]?.headers.authorization).toBeUndefined();
  });
});
