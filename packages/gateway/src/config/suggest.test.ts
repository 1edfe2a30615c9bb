import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeMatches, editDistance } from './suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as one edit each', () => {
    expect(editDistance('gpt-4o-mini', 'gpt-4o-mini')).toBe(0);
    expect(editDistance('gpt-4o-mna', 'gpt-4o-mini')).toBe(2);
    expect(editDistance('claude', 'cluade')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
  });

  it('is a symmetric distance bounded by the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d).toBe(editDistance(b, a));
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d === 0).toBe(a === b);
      }),
    );
  });
});

describe('closeMatches', () => {
  const candidates = ['smart', 'fast', 'openai/gpt-4o-mini', 'openai/gpt-4.1', 'gemini/text-embedding-004'];

  it('finds typos, names without their provider and prefixes; best first, at most three', () => {
    expect(closeMatches('openai/gpt-4o-mna', candidates)[0]).toBe('openai/gpt-4o-mini');
    expect(closeMatches('gpt-4o-mini', candidates)[0]).toBe('openai/gpt-4o-mini');
    expect(closeMatches('smrat', candidates)).toEqual(['smart']);
    expect(closeMatches('text-embeding-004', candidates)).toEqual(['gemini/text-embedding-004']);
    expect(closeMatches('opneai/gpt-4.1', candidates)[0]).toBe('openai/gpt-4.1');
    expect(closeMatches('gpt', candidates).length).toBeLessThanOrEqual(3);
  });

  it('suggests nothing for names far from every candidate, or absurdly long', () => {
    expect(closeMatches('llama-3.3-70b-versatile', candidates)).toEqual([]);
    expect(closeMatches(`${'x'.repeat(500)}/smart`, candidates)).toEqual([]);
    expect(closeMatches('', candidates)).toEqual([]);
  });
});
