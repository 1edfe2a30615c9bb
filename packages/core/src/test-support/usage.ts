// Test-only: a provider-reported Usage in one line, for tables of expected token counts.
import type { Usage } from '../types.js';

export const usageOf = (i: number, o: number, cr = 0, cw = 0, r = 0): Usage => ({
  inputTokens: i,
  outputTokens: o,
  cacheReadTokens: cr,
  cacheWriteTokens: cw,
  reasoningTokens: r,
  source: 'provider',
});
