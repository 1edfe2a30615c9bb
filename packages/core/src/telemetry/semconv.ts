// OpenTelemetry GenAI semantic-convention names (semconv v1.41, Development status), plus the few
// Switchyard-specific names. Kept here so every sink spells them the same way.
import type { CallRecord, ProviderKind } from '../types.js';

export const ATTR = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  REQUEST_STREAM: 'gen_ai.request.stream',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_ID: 'gen_ai.response.id',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  RESPONSE_TIME_TO_FIRST_CHUNK: 'gen_ai.response.time_to_first_chunk',
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation.input_tokens',
  USAGE_REASONING_OUTPUT_TOKENS: 'gen_ai.usage.reasoning.output_tokens',
  TOKEN_TYPE: 'gen_ai.token.type',
  INPUT_MESSAGES: 'gen_ai.input.messages',
  OUTPUT_MESSAGES: 'gen_ai.output.messages',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  ERROR_TYPE: 'error.type',
  /** Not in semconv: Langfuse-compatible total cost in USD (a float, for display only). */
  USAGE_COST: 'gen_ai.usage.cost',
  /** Switchyard: the exact cost in integer nano-USD, as a decimal string. */
  COST_NANOS: 'switchyard.cost.nanos',
  PRICE_SOURCE: 'switchyard.price.source',
  PRICE_UNKNOWN: 'switchyard.price.unknown',
  USAGE_SOURCE: 'switchyard.usage.source',
  PROVIDER_ID: 'switchyard.provider.id',
  UPSTREAM_REQUEST_ID: 'switchyard.upstream.request_id',
  RETRYABLE: 'switchyard.error.retryable',
  PROVIDER_ERROR_CODE: 'switchyard.error.provider_code',
} as const;

export const METRIC = {
  TOKEN_USAGE: 'gen_ai.client.token.usage',
  OPERATION_DURATION: 'gen_ai.client.operation.duration',
  TIME_TO_FIRST_CHUNK: 'gen_ai.client.operation.time_to_first_chunk',
  /** Not in semconv (see README): USD spent, a monotonic counter. */
  COST: 'gen_ai.client.cost',
  /** Not in semconv: calls whose model had no known price. */
  UNKNOWN_PRICE_CALLS: 'switchyard.unknown_price.calls',
} as const;

/** Advisory bucket boundaries from the semconv. */
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
] as const;
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
] as const;

/** Well-known `gen_ai.provider.name` values for OpenAI-compatible vendors, keyed by common provider ids. */
const COMPATIBLE_PROVIDER_NAMES: Record<string, string> = {
  deepseek: 'deepseek',
  groq: 'groq',
  xai: 'x_ai',
  x_ai: 'x_ai',
  mistral: 'mistral_ai',
  mistral_ai: 'mistral_ai',
  perplexity: 'perplexity',
  cohere: 'cohere',
};

/** Semconv `gen_ai.provider.name` for a record: openai, anthropic, gcp.gemini, or the compatible vendor. */
export function providerName(provider: ProviderKind, providerId?: string): string {
  switch (provider) {
    case 'openai':
      return 'openai';
    case 'anthropic':
      return 'anthropic';
    case 'gemini':
      return 'gcp.gemini';
    case 'azure-openai':
      return 'azure.ai.openai';
    case 'bedrock':
      return 'aws.bedrock';
    case 'vertex':
      return 'gcp.vertex_ai';
    default:
      return (providerId && COMPATIBLE_PROVIDER_NAMES[providerId.toLowerCase()]) ?? providerId ?? 'openai';
  }
}

/** Semconv `gen_ai.operation.name`: the Responses API is a chat operation. */
export function operationName(record: Pick<CallRecord, 'operation'>): string {
  return record.operation === 'responses' ? 'chat' : record.operation;
}
