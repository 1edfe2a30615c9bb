import type { Usage } from '../types.js';
import { asObject, count } from './read-fields.js';

/**
 * OpenAI `usage` (chat completions, embeddings, or Responses API) → Usage.
 * prompt_tokens already includes cached tokens; completion_tokens already includes reasoning tokens.
 * Some OpenAI-compatible servers (xAI) leave reasoning out of completion_tokens: then
 * total_tokens = prompt + completion + reasoning, and we add it back so reasoning is billed.
 */
export function openaiUsage(u: unknown): Usage | undefined {
  const o = asObject(u);
  if (!o) return undefined;
  const chat = count(o.prompt_tokens);
  const responses = count(o.input_tokens);
  if (chat === undefined && responses === undefined) return undefined;

  const inDetails = asObject(o.prompt_tokens_details) ?? asObject(o.input_tokens_details);
  const outDetails = asObject(o.completion_tokens_details) ?? asObject(o.output_tokens_details);
  const inputTokens = chat ?? responses ?? 0;
  // DeepSeek reports its cache hits as prompt_cache_hit_tokens.
  const cacheRead = count(inDetails?.cached_tokens) ?? count(o.prompt_cache_hit_tokens) ?? 0;
  const reasoning = count(outDetails?.reasoning_tokens) ?? 0;
  let output = count(o.completion_tokens) ?? count(o.output_tokens) ?? 0;
  const total = count(o.total_tokens);
  if (reasoning > 0 && total !== undefined && total === inputTokens + output + reasoning) output += reasoning;

  return {
    inputTokens,
    outputTokens: output,
    cacheReadTokens: Math.min(cacheRead, inputTokens),
    cacheWriteTokens: 0,
    reasoningTokens: Math.min(reasoning, output),
    source: 'provider',
  };
}
