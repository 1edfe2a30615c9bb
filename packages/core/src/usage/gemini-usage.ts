import type { Usage } from '../types.js';
import { asObject, count } from './read-fields.js';

/** Σ tokenCount of one modality in a Gemini `*TokensDetails` list ([{ modality: 'AUDIO', tokenCount: 12 }, …]). */
function modalityTokens(details: unknown, modality: string): number {
  if (!Array.isArray(details)) return 0;
  let sum = 0;
  for (const d of details) {
    const o = asObject(d);
    if (o?.modality === modality) sum += count(o.tokenCount) ?? 0;
  }
  return sum;
}

/**
 * Gemini `usageMetadata` → Usage. promptTokenCount already includes cachedContentTokenCount;
 * candidatesTokenCount EXCLUDES thoughtsTokenCount, so output = candidates + thoughts. Audio and image tokens
 * (by modality in prompt/cache/candidates details) are parts of input / cache reads / output, priced apart.
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
  const usage: Usage = {
    inputTokens,
    outputTokens: (candidates ?? 0) + thoughts,
    cacheReadTokens: Math.min(count(o.cachedContentTokenCount) ?? 0, inputTokens),
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
    source: 'provider',
  };
  const parts: Array<[keyof Usage, unknown, string]> = [
    ['inputAudioTokens', o.promptTokensDetails, 'AUDIO'],
    ['inputImageTokens', o.promptTokensDetails, 'IMAGE'],
    ['cacheAudioReadTokens', o.cacheTokensDetails, 'AUDIO'],
    ['cacheImageReadTokens', o.cacheTokensDetails, 'IMAGE'],
    ['outputAudioTokens', o.candidatesTokensDetails, 'AUDIO'],
    ['outputImageTokens', o.candidatesTokensDetails, 'IMAGE'],
  ];
  for (const [field, details, modality] of parts) {
    const tokens = modalityTokens(details, modality);
    if (tokens > 0) (usage as unknown as Record<string, number>)[field] = tokens;
  }
  return usage;
}
