import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUsd, parseUsd } from './money.js';

describe('USD <-> nanos', () => {
  it('parses strings and numbers exactly', () => {
    expect(parseUsd('12.50')).toBe(12_500_000_000n);
    expect(parseUsd(12.5)).toBe(12_500_000_000n);
    expect(parseUsd(0.1)).toBe(100_000_000n);
    expect(parseUsd('0.000000001')).toBe(1n);
    expect(parseUsd('-2.25')).toBe(-2_250_000_000n);
    expect(parseUsd(' 3 ')).toBe(3_000_000_000n);
  });

  it('rejects anything else', () => {
    for (const bad of ['', '1.2.3', '1e3', 'abc', '0.0000000001', '$5', Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => parseUsd(bad)).toThrow(RangeError);
    }
  });

  it('formats with at least two decimals and every significant nano', () => {
    expect(formatUsd(12_500_000_000n)).toBe('12.50');
    expect(formatUsd(0n)).toBe('0.00');
    expect(formatUsd(1n)).toBe('0.000000001');
    expect(formatUsd(-2_250_000_000n)).toBe('-2.25');
    expect(formatUsd(6_000_000n)).toBe('0.006');
  });

  it('round-trips every nano amount', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (n) => parseUsd(formatUsd(n)) === n));
  });
});
