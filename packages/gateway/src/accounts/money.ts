// USD at the edges of the admin API: decimal strings or numbers in, decimal strings out; bigint nano-USD inside.
// Built on core's usdToNanos / nanosToUsdString, but stricter on input: an amount of money typed by an operator
// must be a plain decimal with at most 9 fraction digits (no exponents, no silent rounding).
import { nanosToUsdString, usdToNanos } from '@switchyard/core';

const PLAIN = /^-?\d+(?:\.\d{1,9})?$/;

/** "12.50" | 12.5 → 12_500_000_000n. Throws RangeError on anything else. */
export function parseUsd(input: string | number): bigint {
  if (typeof input === 'number' && !Number.isFinite(input)) throw new RangeError(`not a USD amount: ${input}`);
  const text = typeof input === 'number' ? input.toFixed(9) : input.trim();
  if (!PLAIN.test(text)) throw new RangeError(`not a USD amount: ${JSON.stringify(String(input))}`);
  return usdToNanos(text);
}

/** 12_500_000_000n → "12.50"; keeps every significant nano digit: 1n → "0.000000001". */
export function formatUsd(nanos: bigint): string {
  const [whole, frac = ''] = nanosToUsdString(nanos).split('.');
  return `${whole}.${frac.replace(/0+$/, '').padEnd(2, '0')}`;
}
