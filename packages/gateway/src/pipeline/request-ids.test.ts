import { describe, expect, it } from 'vitest';
import { requestIdV7 } from './request-ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdV7', () => {
  it('is an RFC 9562 version 7 UUID carrying the millisecond timestamp', () => {
    const now = Date.UTC(2026, 11, 7, 5, 0, 0, 123);
    const id = requestIdV7(now);
    expect(id).toMatch(UUID_V7);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
  });

  it('sorts by creation time and never repeats', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => requestIdV7(1_800_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    const prefixes = ids.map((id) => id.slice(0, 13));
    expect([...prefixes].sort()).toEqual(prefixes);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });

  it('keeps the random part random (not a copy of one value)', () => {
    const tails = new Set(Array.from({ length: 100 }, () => requestIdV7(0).slice(15)));
    expect(tails.size).toBe(100);
  });
});
