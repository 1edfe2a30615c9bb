import type { Usage } from '../types.js';

export interface OpenAIUsageObject {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

export interface AnthropicUsageObject {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/** Usage → OpenAI chat `usage` (prompt includes cached, completion includes reasoning). */
export function toOpenAIUsage(usage: Usage): OpenAIUsageObject {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

/** Usage → Anthropic `usage` (input_tokens excludes cache reads and writes). */
export function toAnthropicUsage(usage: Usage): AnthropicUsageObject {
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens),
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
  };
}

/** Rough English average: ~4 characters per token. */
const CHARS_PER_TOKEN = 4;

/** For a response that gave no usage (e.g. an OpenAI stream without include_usage): a guess, flagged as such. */
export function estimateUsage(inputChars: number, outputChars: number): Usage {
  const tokens = (chars: number) => Math.ceil(Math.max(0, chars) / CHARS_PER_TOKEN);
  return {
    inputTokens: tokens(inputChars),
    outputTokens: tokens(outputChars),
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    source: 'estimated',
  };
}

/**
 * Embeddings usage: some providers report `prompt_tokens: 0` (Gemini, natively and on its OpenAI-compatible
 * endpoint) or nothing. A call with input is never free: estimate its tokens from the input and flag the estimate.
 */
export function embeddingsUsage(reported: Usage | undefined, inputChars: () => number): Usage {
  if (reported && reported.inputTokens > 0) return reported;
  return estimateUsage(inputChars(), 0);
}
