import type { Usage } from '../types.js';
import { asObject, count } from './read-fields.js';

/**
 * Gemini `usageMetadata` → Usage. promptTokenCount already includes cachedContentTokenCount;
 * candidatesTokenCount EXCLUDES thoughtsTokenCount, so output = candidates + thoughts.
 * Streams: every chunk may carry usageMetadata; the caller keeps the last one.
 */
export function geminiUsage(u: unknown): Usage | undefined {
  const o = asObject(u);
  if (!o) return undefined;
  const prompt = count(o.promptTokenCount);
  const candidates = count(o.candidatesTokenCount);
  if (prompt === undefined && candidates === undefined) return undefined;
  const inputTokens = (prompt ?? 0) + (count(o.toolUsePromptTokenCount) ?? 0);
  const thoughts = count(o.thoughtsTokenCount) ?? 0;
  return {
    inputTokens,
    outputTokens: (candidates ?? 0) + thoughts,
    cacheReadTokens: Math.min(count(o.cachedContentTokenCount) ?? 0, inputTokens),
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
    source: 'provider',
  };
}
