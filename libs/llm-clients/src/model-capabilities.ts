import type { ModelCapability } from './types';

// Name patterns are a best guess for servers that report nothing about a model (OpenAI-compatible /models lists).
// They only pre-fill a model's settings; the admin can correct them.
const EMBEDDING = /embed|bge-|(^|[-_/:.])e5-|minilm|rerank/i;
const REASONING =
  /(^|[-_/:.])(r1|o1|o3|o4|qwq)([-_/:.]|$)|reasoner|reasoning|thinking|deepseek-r|qwq|magistral|gpt-5(?!.*-chat)|gpt-oss/i;
const VISION =
  /vision|(^|[-_/:.])vl([-_/:.]|$)|-vl-|llava|pixtral|gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4-turbo|gpt-5|glm-4(\.\d+)?v|gemini|gemma-?3|claude-3|claude-(sonnet|opus|haiku)-4|llama-?4|minicpm-v|internvl|moondream/i;

export function inferCapabilities(modelId: string): ModelCapability[] {
  if (EMBEDDING.test(modelId)) return ['embedding'];
  const capabilities: ModelCapability[] = ['chat'];
  if (REASONING.test(modelId)) capabilities.push('reasoning');
  if (VISION.test(modelId)) capabilities.push('vision');
  return capabilities;
}
