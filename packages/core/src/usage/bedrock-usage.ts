import type { Usage } from '../types.js';
import { asObject, count } from './read-fields.js';

/**
 * Bedrock Converse `usage` (also the ConverseStream `metadata` event's) → Usage. Like Anthropic's, Bedrock's
 * `inputTokens` EXCLUDES cache reads and writes, so inputTokens = inputTokens + cacheReadInputTokens +
 * cacheWriteInputTokens. Converse does not report reasoning apart (it is billed as output).
 */
export function bedrockUsage(u: unknown): Usage | undefined {
  const o = asObject(u);
  if (!o) return undefined;
  const input = count(o.inputTokens);
  const output = count(o.outputTokens);
  if (input === undefined && output === undefined) return undefined;
  const cacheReadTokens = count(o.cacheReadInputTokens) ?? 0;
  const cacheWriteTokens = count(o.cacheWriteInputTokens) ?? 0;
  return {
    inputTokens: (input ?? 0) + cacheReadTokens + cacheWriteTokens,
    outputTokens: output ?? 0,
    cacheReadTokens,
    cacheWriteTokens,
    reasoningTokens: 0,
    source: 'provider',
  };
}
