import { describe, expect, it } from 'vitest';
import { seededRandom, shuffled } from './shuffle.js';

describe('shuffled', () => {
  it('keeps every item once and replays the same order for the same seed', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const one = shuffled(items, seededRandom(7));
    expect([...one].sort()).toEqual(items);
    expect(shuffled(items, seededRandom(7))).toEqual(one);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('gives each item every predecessor about equally often over many turns', () => {
    // The fallback suite shuffles its scenarios every turn so no scenario always runs after the same one.
    const items = ['a', 'b', 'c', 'd', 'e'];
    const random = seededRandom(1);
    const after = new Map<string, number>();
    let prev: string | undefined;
    const turns = 4000;
    for (let t = 0; t < turns; t++) {
      for (const x of shuffled(items, random)) {
        if (prev !== undefined && prev !== x) after.set(`${prev}>${x}`, (after.get(`${prev}>${x}`) ?? 0) + 1);
        prev = x;
      }
    }
    expect(after.size).toBe(20); // every ordered pair of distinct items occurs
    const counts = [...after.values()];
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    for (const c of counts) expect(Math.abs(c - mean) / mean).toBeLessThan(0.1);
  });

  it('draws numbers in [0, 1)', () => {
    const random = seededRandom(123);
    for (let i = 0; i < 1000; i++) {
      const v = random();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});
