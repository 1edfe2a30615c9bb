import { describe, expect, it } from 'vitest';
import { similarity, textSimilarity } from './similarity.js';
import { mean, meanBig, percentile, sumBig } from './stats.js';

describe('stats', () => {
  it('nearest-rank percentiles', () => {
    const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('means; bigint sums and means stay integer nano-USD', () => {
    expect(mean([1, 2, 4])).toBeCloseTo(7 / 3);
    expect(mean([])).toBeUndefined();
    expect(sumBig([1n, 2n, 3n])).toBe(6n);
    expect(meanBig([1n, 2n])).toBe(2n); // 1.5 rounds half up
    expect(meanBig([10n, 10n, 11n])).toBe(10n);
    expect(meanBig([])).toBeUndefined();
  });
});

describe('output similarity', () => {
  it('exact, JSON-equal (key order ignored), or text overlap', () => {
    expect(similarity(' yes ', 'yes')).toEqual({ kind: 'exact', score: 1 });
    expect(similarity('{"a":1,"b":2}', '{"b":2, "a":1}')).toEqual({ kind: 'json', score: 1 });
    expect(similarity('{"a":1}', '{"a":2}')).toEqual({ kind: 'json', score: 0 });
    const t = similarity('the cat sat on the mat', 'the cat sat');
    expect(t.kind).toBe('text');
    expect(t.score).toBeCloseTo(0.5, 3); // min counts 3 (the, cat, sat) / max counts 6
    expect(textSimilarity('alpha beta', 'gamma delta')).toBe(0);
    expect(textSimilarity('', '')).toBe(1);
  });
});
