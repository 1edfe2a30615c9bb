// Public surface of the provider translators (pure functions; the request path does the I/O).
export { ANTHROPIC_VERSION, anthropicAdapter } from './anthropic/anthropic-adapter.js';
export { fromAnthropicStopReason, toAnthropicStopReason } from './anthropic/anthropic-finish-reason.js';
export { JSON_RESPONSE_TOOL } from './anthropic/anthropic-wire.js';
export {
  ANTHROPIC_DEFAULT_MAX_TOKENS,
  defaultAnthropicMaxTokens,
  toAnthropicRequest,
} from './anthropic/to-anthropic-request.js';
export { anthropicErrorEvent, anthropicErrorType, toAnthropicError } from './anthropic-inbound/anthropic-error.js';
export {
  type AnthropicStreamEncoder,
  createAnthropicStreamEncoder,
} from './anthropic-inbound/anthropic-stream-encoder.js';
export { fromAnthropicRequest } from './anthropic-inbound/from-anthropic-request.js';
export { type AnthropicMessageOut, toAnthropicResponse } from './anthropic-inbound/to-anthropic-response.js';
export { geminiAdapter } from './gemini/gemini-adapter.js';
export { toGeminiRequest } from './gemini/to-gemini-request.js';
export { openaiAdapter, openaiCompatibleAdapter } from './openai/openai-adapter.js';
export { type CompatProfile, compatProfileFor } from './openai/openai-compatible.js';
export {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  embeddingsResponseSchema,
  openAIErrorSchema,
} from './openai/openai-response-schema.js';
export type * from './openai-chat-types.js';
export type * from './provider-adapter.js';
export { adapterFor } from './registry.js';
export { encodeSse, encodeSseJson, parseSse, SseParser } from './sse.js';
