// Integer money: 1 nano-USD = 1e-9 USD held in a bigint, so sums never drift.
import type { Nanos } from './types.js';

const NANOS_PER_USD = 1_000_000_000n;
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * USD → nano-USD. Exact for decimal strings with up to 9 fractional digits ("12.50", "0.000000075");
 * finer digits round half away from zero. Numbers go through their shortest decimal form, so 0.075 is exact.
 */
export function usdToNanos(x: string | number): Nanos {
  if (typeof x === 'number' && !Number.isFinite(x)) throw new RangeError(`not a finite amount: ${x}`);
  const text = String(x).trim();
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal amount: ${JSON.stringify(x)}`);
  const negative = m[1] === '-';
  let digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  // Position of the decimal point, counted from the left of `digits`.
  let point = (m[2] ?? '').length + Number(m[4] ?? 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  digits = digits.padEnd(point, '0');
  const whole = digits.slice(0, point) || '0';
  const frac = digits.slice(point);
  let nanos = BigInt(whole) * NANOS_PER_USD + BigInt((frac.slice(0, 9) || '0').padEnd(9, '0'));
  if ((frac[9] ?? '0') >= '5') nanos += 1n;
  return negative ? -nanos : nanos;
}

/** nano-USD → "0.000123450" style string; `decimals` (0..9, default 9) rounds half away from zero. */
export function nanosToUsdString(n: Nanos, decimals = 9): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 9) throw new RangeError('decimals must be 0..9');
  const negative = n < 0n;
  let abs = negative ? -n : n;
  const drop = 10n ** BigInt(9 - decimals);
  abs = (abs + drop / 2n) / drop;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const frac = (abs % scale).toString().padStart(decimals, '0');
  const sign = negative && abs !== 0n ? '-' : '';
  return decimals === 0 ? `${sign}${whole}` : `${sign}${whole}.${frac}`;
}

/** nano-USD → float USD. For metrics and headers only; never add these up for accounting. */
export function nanosToUsdNumber(n: Nanos): number {
  const whole = n / NANOS_PER_USD;
  return Number(whole) + Number(n - whole * NANOS_PER_USD) / 1e9;
}
