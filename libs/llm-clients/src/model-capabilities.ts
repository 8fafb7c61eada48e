import type { ModelCapability } from './types';

// Name patterns are a best guess for servers that report nothing about a model (OpenAI-compatible /models lists).
// They only pre-fill a model's settings; the admin can correct them.
const EMBEDDING = /embed|bge-|(^|[-_/:.])e5-|minilm|rerank/i;
const REASONING =
  /(^|[-_/:.])(r1|o1|o3|o4|qwq)([-_/:.]|$)|reasoner|reasoning|thinking|deepseek-r|qwq|magistral|gpt-5(?!.*-chat)|gpt-oss/i;
const VISION =
  /vision|(^|[-_/:.])vl([-_/:.]|$)|-vl-|llava|pixtral|gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4-turbo|gpt-5|glm-4(\.\d+)?v|gemini|gemma-?3|claude-3|claude-(sonnet|opus|haiku)-4|llama-?4|minicpm-v|internvl|moondream/i;

// Speech, transcription, realtime audio, image and video generation, moderation, and completion-only models: listed
// by OpenAI-compatible servers beside the chat models, but a chat sent to them fails.
const NOT_CHAT =
  /whisper|(^|[-_/:.])tts([-_/:.]|$)|transcribe|realtime|dall-e|gpt-image|(^|[-_/:.])sora([-_/:.]|$)|moderation|^(babbage|davinci)-\d|(^|[-_/:.])(imagen|flux|stable-diffusion|sdxl)([-_/:.]|$)/i;

/** A guess from the name; an empty list for a model that is not for chat (and not for embeddings). */
export function inferCapabilities(modelId: string): ModelCapability[] {
  if (EMBEDDING.test(modelId)) return ['embedding'];
  if (NOT_CHAT.test(modelId)) return [];
  const capabilities: ModelCapability[] = ['chat'];
  if (REASONING.test(modelId)) capabilities.push('reasoning');
  if (VISION.test(modelId)) capabilities.push('vision');
  return capabilities;
}
