/**
 * Response bodies as real upstreams send them, byte for byte in shape (ids and timings shortened). Each carries
 * multi-byte text (CJK, emoji) so the awkward piece splits in the tests land inside characters.
 */

/** DeepSeek `deepseek-reasoner`: `reasoning_content` deltas, keep-alive comments, usage in the finish chunk. */
export const DEEPSEEK_REASONER_SSE = [
  ': keep-alive',
  '',
  'data: {"id":"3f0e1b2a-8d4c-4f7e-9a61-2c5d8e7f0a13","object":"chat.completion.chunk","created":1737453211,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08_prod0225","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"3f0e1b2a-8d4c-4f7e-9a61-2c5d8e7f0a13","object":"chat.completion.chunk","created":1737453211,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08_prod0225","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"用户问"},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"3f0e1b2a-8d4c-4f7e-9a61-2c5d8e7f0a13","object":"chat.completion.chunk","created":1737453211,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08_prod0225","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"9.11和9.8哪个大。"},"logprobs":null,"finish_reason":null}]}',
  '',
  ': keep-alive',
  '',
  'data: {"id":"3f0e1b2a-8d4c-4f7e-9a61-2c5d8e7f0a13","object":"chat.completion.chunk","created":1737453211,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08_prod0225","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"比较小数部分：0.11 < 0.8。"},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"3f0e1b2a-8d4c-4f7e-9a61-2c5d8e7f0a13","object":"chat.completion.chunk","created":1737453211,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08_prod0225","choices":[{"index":0,"delta":{"content":"9.8 更大","reasoning_content":null},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"3f0e1b2a-8d4c-4f7e-9a61-2c5d8e7f0a13","object":"chat.completion.chunk","created":1737453211,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08_prod0225","choices":[{"index":0,"delta":{"content":" 🎉。","reasoning_content":null},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"3f0e1b2a-8d4c-4f7e-9a61-2c5d8e7f0a13","object":"chat.completion.chunk","created":1737453211,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08_prod0225","choices":[{"index":0,"delta":{"content":"","reasoning_content":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":17,"completion_tokens":52,"total_tokens":69,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":38},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":17}}',
  '',
  'data: [DONE]',
  '',
  '',
].join('\n');

export const DEEPSEEK_REASONING = '用户问9.11和9.8哪个大。比较小数部分：0.11 < 0.8。';
export const DEEPSEEK_CONTENT = '9.8 更大 🎉。';

/**
 * OpenRouter: `: OPENROUTER PROCESSING` comments, `reasoning` with a duplicate `reasoning_details` entry, a
 * summary-only detail, CRLF line ends, and usage in a separate chunk with empty choices after the finish chunk.
 */
export const OPENROUTER_REASONING_SSE = [
  ': OPENROUTER PROCESSING',
  '',
  'data: {"id":"gen-1745923011-Xa9kQ2mPz","provider":"DeepInfra","model":"deepseek/deepseek-r1","object":"chat.completion.chunk","created":1745923011,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Zählen: ","reasoning_details":[{"type":"reasoning.text","text":"Zählen: ","format":"unknown","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}',
  '',
  'data: {"id":"gen-1745923011-Xa9kQ2mPz","provider":"DeepInfra","model":"deepseek/deepseek-r1","object":"chat.completion.chunk","created":1745923011,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"drei Äpfel.","reasoning_details":[{"type":"reasoning.text","text":"drei Äpfel.","format":"unknown","index":0}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}',
  '',
  'data: {"id":"gen-1745923011-Xa9kQ2mPz","provider":"DeepInfra","model":"deepseek/deepseek-r1","object":"chat.completion.chunk","created":1745923011,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":null,"reasoning_details":[{"type":"reasoning.summary","summary":" Fertig.","format":"unknown","index":0},{"type":"reasoning.encrypted","data":"gAAAAABo…","format":"unknown","index":1}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}',
  '',
  'data: {"id":"gen-1745923011-Xa9kQ2mPz","provider":"DeepInfra","model":"deepseek/deepseek-r1","object":"chat.completion.chunk","created":1745923011,"choices":[{"index":0,"delta":{"role":"assistant","content":"Es sind 3 Äpfel 🍎."},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}',
  '',
  'data: {"id":"gen-1745923011-Xa9kQ2mPz","provider":"DeepInfra","model":"deepseek/deepseek-r1","object":"chat.completion.chunk","created":1745923011,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop","native_finish_reason":"stop","logprobs":null}]}',
  '',
  'data: {"id":"gen-1745923011-Xa9kQ2mPz","provider":"DeepInfra","model":"deepseek/deepseek-r1","object":"chat.completion.chunk","created":1745923011,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42}}',
  '',
  'data: [DONE]',
  '',
  '',
].join('\r\n');

export const OPENROUTER_REASONING = 'Zählen: drei Äpfel. Fertig.';
export const OPENROUTER_CONTENT = 'Es sind 3 Äpfel 🍎.';

/** vLLM without `stream_options`: no usage anywhere, inline `<think>` in content (no reasoning parser enabled). */
export const VLLM_NO_USAGE_SSE = [
  'data: {"id":"chatcmpl-5b6f0e3c2a1d4e8f","object":"chat.completion.chunk","created":1741000000,"model":"Qwen/QwQ-32B","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"chatcmpl-5b6f0e3c2a1d4e8f","object":"chat.completion.chunk","created":1741000000,"model":"Qwen/QwQ-32B","choices":[{"index":0,"delta":{"content":"<think>\\n先算"},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"chatcmpl-5b6f0e3c2a1d4e8f","object":"chat.completion.chunk","created":1741000000,"model":"Qwen/QwQ-32B","choices":[{"index":0,"delta":{"content":"一下：2+2=4\\n</think>\\n\\n"},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"chatcmpl-5b6f0e3c2a1d4e8f","object":"chat.completion.chunk","created":1741000000,"model":"Qwen/QwQ-32B","choices":[{"index":0,"delta":{"content":"答案是 4。"},"logprobs":null,"finish_reason":null}]}',
  '',
  'data: {"id":"chatcmpl-5b6f0e3c2a1d4e8f","object":"chat.completion.chunk","created":1741000000,"model":"Qwen/QwQ-32B","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}',
  '',
  'data: [DONE]',
  '',
  '',
].join('\n');

export const VLLM_CONTENT = '<think>\n先算一下：2+2=4\n</think>\n\n答案是 4。';

/** Ollama `/api/chat` with a thinking model: `message.thinking` deltas, then content, then the `done` line. */
export const OLLAMA_THINKING_NDJSON = [
  '{"model":"qwen3:8b","created_at":"2025-06-02T08:15:01.031542Z","message":{"role":"assistant","content":"","thinking":"Der Nutzer"},"done":false}',
  '{"model":"qwen3:8b","created_at":"2025-06-02T08:15:01.052Z","message":{"role":"assistant","content":"","thinking":" grüßt auf Japanisch: こんにちは。"},"done":false}',
  '{"model":"qwen3:8b","created_at":"2025-06-02T08:15:01.190Z","message":{"role":"assistant","content":"こんにちは！"},"done":false}',
  '{"model":"qwen3:8b","created_at":"2025-06-02T08:15:01.211Z","message":{"role":"assistant","content":" 👋"},"done":false}',
  '{"model":"qwen3:8b","created_at":"2025-06-02T08:15:01.233Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":1843121500,"load_duration":21044958,"prompt_eval_count":14,"prompt_eval_duration":80000000,"eval_count":37,"eval_duration":1700000000}',
  '',
].join('\n');

export const OLLAMA_REASONING = 'Der Nutzer grüßt auf Japanisch: こんにちは。';
export const OLLAMA_CONTENT = 'こんにちは！ 👋';

/** Anthropic Messages with extended thinking: ping, thinking + signature deltas, a redacted block, text. */
export const ANTHROPIC_THINKING_SSE = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":36,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":2,"service_tier":"standard"}}}',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}',
  '',
  'event: ping',
  'data: {"type": "ping"}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me check: 27 × 453"}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" = 12,231 — “sure”."}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds7LPIdUpJHvCy4vS6wk5fE5d8N1/sLq5g9X3nXlRd0Q3d6BF4pLaiRFGaS8TKRMR"}}',
  '',
  'event: content_block_stop',
  'data: {"type":"content_block_stop","index":0}',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj2pLmN4c0WJ"}}',
  '',
  'event: content_block_stop',
  'data: {"type":"content_block_stop","index":1}',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"27 × 453 = 12 231"}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":" ✅"}}',
  '',
  'event: content_block_stop',
  'data: {"type":"content_block_stop","index":2}',
  '',
  'event: message_delta',
  'data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":87}}',
  '',
  'event: message_stop',
  'data: {"type":"message_stop"}',
  '',
  '',
].join('\n');

export const ANTHROPIC_REASONING = 'Let me check: 27 × 453 = 12,231 — “sure”.';
export const ANTHROPIC_CONTENT = '27 × 453 = 12 231 ✅';

/** Anthropic failing mid-stream (what a user sees during capacity problems). */
export const ANTHROPIC_OVERLOADED_SSE = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_01Overload","type":"message","role":"assistant","model":"claude-opus-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Partial"}}',
  '',
  'event: error',
  'data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
  '',
  '',
].join('\n');
