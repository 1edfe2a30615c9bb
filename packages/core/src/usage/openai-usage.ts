import type { Usage } from '../types.js';
import { asObject, count } from './read-fields.js';

/**
 * OpenAI `usage` (chat completions, embeddings, or Responses API) → Usage. `*_tokens_details.audio_tokens` /
 * `image_tokens` are parts of the prompt / completion counts.
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

  const usage: Usage = {
    inputTokens,
    outputTokens: output,
    cacheReadTokens: Math.min(cacheRead, inputTokens),
    cacheWriteTokens: 0,
    reasoningTokens: Math.min(reasoning, output),
    source: 'provider',
  };
  // Audio (gpt-4o-audio, realtime) and image tokens are parts of the totals, billed at their own rates.
  const inAudio = count(inDetails?.audio_tokens);
  const inImage = count(inDetails?.image_tokens);
  const outAudio = count(outDetails?.audio_tokens);
  const outImage = count(outDetails?.image_tokens);
  if (inAudio) usage.inputAudioTokens = Math.min(inAudio, inputTokens);
  if (inImage) usage.inputImageTokens = Math.min(inImage, inputTokens);
  if (outAudio) usage.outputAudioTokens = Math.min(outAudio, output);
  if (outImage) usage.outputImageTokens = Math.min(outImage, output);
  return usage;
}
