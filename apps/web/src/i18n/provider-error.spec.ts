import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from './index';
import { localizeProviderError } from './provider-error';

describe('localizeProviderError', () => {
  afterEach(() => {
    i18n.global.locale.value = 'en';
  });

  it('leaves English as the server wrote it', () => {
    const message = 'The provider rejected the API key (HTTP 401): Invalid token';
    expect(localizeProviderError(message)).toBe(message);
  });

  it("translates the server's sentence in Chinese and keeps the upstream's own words", () => {
    i18n.global.locale.value = 'zh-CN';
    expect(localizeProviderError('The provider rejected the API key (HTTP 401): Invalid token')).toBe(
      '模型服务拒绝了 API 密钥（HTTP 401）：Invalid token',
    );
    expect(localizeProviderError('Rate limited; retry after 20 s: 您的账户已欠费')).toBe(
      '请求过于频繁，请 20 秒后重试：您的账户已欠费',
    );
    expect(localizeProviderError('Could not reach gpu-01:11434: connection refused')).toBe(
      '无法连接到 gpu-01:11434：connection refused',
    );
    expect(localizeProviderError('Could not reach the provider')).toBe('无法连接到 模型服务');
    expect(localizeProviderError("Unknown model 'qwen9': model not found")).toBe('未知模型「qwen9」：model not found');
    expect(localizeProviderError('The provider failed (HTTP 502)')).toBe('模型服务出错（HTTP 502）');
    expect(localizeProviderError('Timed out: the provider did not answer in time')).toBe(
      '请求超时：the provider did not answer in time',
    );
    expect(localizeProviderError('Cancelled')).toBe('已取消');
  });

  it('translates the sentences around another one, and the one inside', () => {
    i18n.global.locale.value = 'zh-CN';
    expect(
      localizeProviderError(
        'Could not list the models of Adv test: The provider rejected the API key (HTTP 401): bad key',
      ),
    ).toBe('无法获取 Adv test 的模型列表：模型服务拒绝了 API 密钥（HTTP 401）：bad key');
    expect(
      localizeProviderError(
        'Not found: Not Found. This server lists no models: add its model names by hand to test it with a chat',
      ),
    ).toBe('未找到：Not Found。该服务没有模型列表：请手动添加模型名称，再用一次对话来测试');
  });

  it('translates sentences that name a provider with spaces in its name', () => {
    i18n.global.locale.value = 'zh-CN';
    expect(
      localizeProviderError(
        'Lost the connection to Simulator (no real model): the connection broke in the middle of the response',
      ),
    ).toMatch(/^.*Simulator \(no real model\).*：the connection broke in the middle of the response$/);
    expect(localizeProviderError('Lost the connection to Simulator (no real model)')).not.toMatch(/^Lost/);
    expect(localizeProviderError('Could not reach Local vLLM: could not connect (connection refused)')).toBe(
      '无法连接到 Local vLLM：could not connect (connection refused)',
    );
  });

  it('shows anything else as it is', () => {
    i18n.global.locale.value = 'zh-CN';
    expect(localizeProviderError('Something nobody templated')).toBe('Something nobody templated');
  });
});
