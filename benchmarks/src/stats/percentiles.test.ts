import { describe, expect, it } from 'vitest';
import { envelopeSlope, percentileSorted, round3, slope, summarize } from './percentiles.js';

describe('percentileSorted', () => {
  it('uses nearest rank', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentileSorted(s, 50)).toBe(50);
    expect(percentileSorted(s, 99)).toBe(99);
    expect(percentileSorted(s, 100)).toBe(100);
    expect(percentileSorted(s, 0)).toBe(1);
    expect(percentileSorted([7], 99)).toBe(7);
  });
  it('is NaN for no samples', () => {
    expect(percentileSorted([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('keeps sub-millisecond resolution and sorts numerically', () => {
    // 10 samples: 0.1 .. 1.0 ms plus one 12 ms outlier; a lexicographic sort would put 12 before 2.
    const samples = [12, 0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 1.0];
    const s = summarize(samples);
    expect(s.count).toBe(11);
    expect(s.p50_ms).toBe(0.6);
    expect(s.p90_ms).toBe(1);
    expect(s.p99_ms).toBe(12);
    expect(s.mean_ms).toBe(round3(samples.reduce((a, b) => a + b, 0) / 11));
  });
});

describe('slope', () => {
  it('fits a line', () => {
    expect(slope([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })))).toBeCloseTo(2, 10);
    expect(slope([{ x: 1, y: 3 }])).toBe(0);
    expect(slope([0, 1, 2].map((x) => ({ x, y: 4 })))).toBe(0);
  });
});

describe('envelopeSlope', () => {
  // A GC sawtooth: climbs 10 units then drops back, 20 periods of 10 samples.
  const saw = (leakPerX: number) => Array.from({ length: 200 }, (_, i) => ({ x: i, y: 100 + (i % 10) + leakPerX * i }));

  it('ignores a sawtooth with no leak', () => {
    expect(Math.abs(envelopeSlope(saw(0)))).toBeLessThan(0.01);
  });

  it('finds a leak under the sawtooth', () => {
    expect(envelopeSlope(saw(0.5))).toBeCloseTo(0.5, 1);
  });

  it('ignores start-up growth', () => {
    const pts = Array.from({ length: 100 }, (_, i) => ({ x: i, y: i < 20 ? i * 5 : 100 }));
    expect(envelopeSlope(pts)).toBe(0);
  });
});
