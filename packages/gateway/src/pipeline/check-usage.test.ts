// A hostile upstream's usage can bill through any priced field: every one is bounded, searches most tightly.
import type { Usage } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { checkUsage, MAX_USAGE_SEARCHES, MAX_USAGE_TOKENS } from './call-meta.js';

const sane: Usage = {
  inputTokens: 100,
  outputTokens: 10,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  source: 'provider',
};

describe('checkUsage', () => {
  it('accepts sane usage, including searches at the bound', () => {
    expect(() => checkUsage({ ...sane, webSearchRequests: MAX_USAGE_SEARCHES }, 'p')).not.toThrow();
  });
  it.each([
    ['outputTokens', MAX_USAGE_TOKENS + 1],
    ['cacheWrite1hTokens', 1e15],
    ['inputAudioTokens', -1],
    ['outputImageTokens', 1.5],
    ['webSearchRequests', MAX_USAGE_SEARCHES + 1],
    ['webSearchRequests', 1e12],
  ])('refuses %s = %s as invalid_response', (field, value) => {
    expect(() => checkUsage({ ...sane, [field]: value }, 'p')).toThrow(/impossible usage/);
  });
});
