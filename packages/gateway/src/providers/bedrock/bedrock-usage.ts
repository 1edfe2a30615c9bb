// Converse usage → core Usage. Bedrock's `inputTokens` excludes cache reads and writes (as Anthropic's does);
// core counts every billed input token in `inputTokens`, cache parts included.
import type { Usage } from '@switchyard/core';
import type { ConverseUsage } from './converse-wire.js';

const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.trunc(x) : 0);

export function bedrockUsage(u: ConverseUsage | undefined): Usage | undefined {
  if (!u || (u.inputTokens === undefined && u.outputTokens === undefined)) return undefined;
  const cacheReadTokens = n(u.cacheReadInputTokens);
  const cacheWriteTokens = n(u.cacheWriteInputTokens);
  return {
    inputTokens: n(u.inputTokens) + cacheReadTokens + cacheWriteTokens,
    outputTokens: n(u.outputTokens),
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: 0,
    source: 'provider',
  };
}

/** Converse `stopReason` → OpenAI `finish_reason`. */
export function fromConverseStopReason(
  reason: string | undefined,
): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  switch (reason) {
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return 'stop';
  }
}
