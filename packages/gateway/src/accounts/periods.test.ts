import { describe, expect, it } from 'vitest';
import { dayKey, monthKey } from './periods.js';

describe('period keys', () => {
  it('formats UTC days and months, including across boundaries in both directions', () => {
    const t = Date.UTC(2026, 0, 31, 23, 59, 59, 999);
    expect(dayKey(t)).toBe('20260131');
    expect(monthKey(t)).toBe('202601');
    expect(dayKey(t + 1)).toBe('20260201');
    expect(monthKey(t + 1)).toBe('202602');
    expect(dayKey(t)).toBe('20260131');
    expect(monthKey(t)).toBe('202601');
    expect(dayKey(Date.UTC(2024, 1, 29, 12))).toBe('20240229');
    expect(monthKey(Date.UTC(2027, 11, 31))).toBe('202712');
  });

  it('matches toISOString for many instants (cache never returns a stale key)', () => {
    for (let t = Date.UTC(2025, 11, 30); t < Date.UTC(2026, 1, 2); t += 3_599_999) {
      const iso = new Date(t).toISOString();
      expect(dayKey(t)).toBe(iso.slice(0, 10).replaceAll('-', ''));
      expect(monthKey(t)).toBe(iso.slice(0, 7).replace('-', ''));
    }
  });
});
