import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nanosToUsdNumber, nanosToUsdString, usdToNanos } from './money.js';

describe('usdToNanos', () => {
  it.each([
    ['12.50', 12_500_000_000n],
    ['0.000000075', 75n],
    ['0.0000000005', 1n],
    ['0.0000000004', 0n],
    ['-1.5', -1_500_000_000n],
    ['1e-7', 100n],
    ['2.5E3', 2_500_000_000_000n],
    ['.5', 500_000_000n],
    [0.075, 75_000_000n],
    [2.5, 2_500_000_000n],
    [1.25e-7, 125n],
  ] as const)('%s → %s', (input, expected) => {
    expect(usdToNanos(input)).toBe(expected);
  });

  it('rejects non-numbers', () => {
    expect(() => usdToNanos('abc')).toThrow(RangeError);
    expect(() => usdToNanos('')).toThrow(RangeError);
    expect(() => usdToNanos(Number.NaN)).toThrow(RangeError);
  });
});

describe('nanosToUsdString', () => {
  it('formats with 9 decimals by default and rounds half away from zero', () => {
    expect(nanosToUsdString(7_250_000n)).toBe('0.007250000');
    expect(nanosToUsdString(123_456_789n, 4)).toBe('0.1235');
    expect(nanosToUsdString(-123_450_000n, 4)).toBe('-0.1235');
    expect(nanosToUsdString(12_500_000_000n, 2)).toBe('12.50');
    expect(nanosToUsdString(1_499_999_999n, 0)).toBe('1');
    expect(nanosToUsdString(-4n, 8)).toBe('0.00000000');
  });
});

describe('money properties', () => {
  it('string round-trips exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (n) => {
        expect(usdToNanos(nanosToUsdString(n))).toBe(n);
      }),
    );
  });
  it('number conversion is within float precision', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (n) => {
        expect(Math.abs(nanosToUsdNumber(n) * 1e9 - Number(n))).toBeLessThanOrEqual(Math.max(1, Number(n) * 1e-15));
      }),
    );
  });
});
