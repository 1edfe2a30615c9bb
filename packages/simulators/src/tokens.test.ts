import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countEmbeddingTokens,
  countInputTokens,
  generateWords,
  splitString,
  splitWords,
  textTokens,
  toolCallTokens,
} from './tokens.js';

describe('token rule', () => {
  it('text tokens are ceil(chars / 4)', () => {
    expect([textTokens(''), textTokens('a'), textTokens('abcd'), textTokens('abcde')]).toEqual([0, 1, 1, 2]);
  });

  it('input tokens add 4 per message and the tools JSON', () => {
    expect(countInputTokens([])).toBe(0);
    expect(countInputTokens(['hi', ''])).toBe(4 + 1 + 4);
    expect(countInputTokens(['hi'], '[{"name":"x"}]')).toBe(5 + 4);
    expect(toolCallTokens('get', '{}')).toBe(4 + 2);
    expect(countEmbeddingTokens(['abcde', 'x'])).toBe(3);
  });

  it('generated words are deterministic in the seed and one word per token', () => {
    expect(generateWords(42, 10)).toEqual(generateWords(42, 10));
    expect(generateWords(42, 10)).not.toEqual(generateWords(43, 10));
    expect(generateWords(1, 25).every((w) => /^[a-z]+$/.test(w))).toBe(true);
  });

  it('splitWords fragments concatenate to the joined text, in min(pieces, words) fragments', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 60 }), fc.integer(), (n, pieces, seed) => {
        const words = generateWords(seed, n);
        const parts = splitWords(words, pieces);
        expect(parts.join('')).toBe(words.join(' '));
        expect(parts).toHaveLength(n === 0 ? 0 : Math.min(pieces, n));
        expect(parts.every((p) => p.trim().length > 0)).toBe(true);
      }),
    );
  });

  it('splitString fragments concatenate to the input', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 20 }), (s, k) => {
        const parts = splitString(s, k);
        expect(parts.join('')).toBe(s);
        expect(parts.length).toBe(Math.max(1, Math.min(k, s.length)));
      }),
    );
  });
});
