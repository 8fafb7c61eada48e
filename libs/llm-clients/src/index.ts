/**
 * Provider-neutral streaming chat client: adapters for OpenAI-compatible servers, Ollama and Anthropic, one
 * normalised event stream, and the reasoning splitter that separates inline `<think>` blocks from answers.
 */
export * from './types';
export * from './reasoning-splitter';
export {
  createLlmClient,
  streamChatBatchesWithReasoning,
  streamChatWithReasoning,
  type LlmClientOptions,
} from './client';
export type { OpenAiCompatOptions } from './adapters/openai.adapter';
export { ANTHROPIC_DEFAULT_MAX_TOKENS } from './adapters/anthropic.adapter';
export {
  anthropicEndpoints,
  ollamaEndpoints,
  openAiEndpoints,
  parseBaseUrl,
  resolveEndpoints,
  type ProviderEndpoints,
} from './base-url';
export { buildRequestCredentials, resolveAuthStyle, DEFAULT_ANTHROPIC_VERSION, type RequestCredentials } from './auth';
export { describeLlmError, type DescribeErrorContext, type LlmErrorLike } from './describe-error';
export { drainChat, type DrainedChat } from './drain-chat';
export { closeHttpAgents, guardUpstreamAddresses, type AddressGuard } from './http-transport';
export { inferCapabilities } from './model-capabilities';
