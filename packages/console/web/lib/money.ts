// Money in the page: the admin API sends USD as decimal strings; we keep them as bigint nano-USD and only format
// for display (never add floats). Charts get floats, for drawing only.
const NANOS_PER_USD = 1_000_000_000n;

/** "12.50" / "-0.000775" → nano-USD. Throws on anything else (the API never sends it). */
export function usdToNanos(usd: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?$/.exec(usd.trim());
  if (!m) throw new Error(`not a USD amount: ${usd}`);
  const nanos = BigInt(m[2] ?? '0') * NANOS_PER_USD + BigInt((m[3] ?? '').padEnd(9, '0') || '0');
  return m[1] ? -nanos : nanos;
}

export function sumUsd(values: (string | null | undefined)[]): bigint {
  let total = 0n;
  for (const v of values) if (v) total += usdToNanos(v);
  return total;
}

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Rounds |n| to a multiple of `unit`, half away from zero. */
const roundTo = (n: bigint, unit: bigint) => ((n + unit / 2n) / unit) * unit;

/**
 * For people: cents from one cent up (`$1,234.56`), up to six decimals below (`$0.000775`), and `<$0.000001`
 * for a positive amount smaller than that.
 */
export function formatMoney(nanos: bigint): string {
  const neg = nanos < 0n;
  const abs = neg ? -nanos : nanos;
  let text: string;
  if (abs === 0n) text = '$0.00';
  else if (abs >= 10_000_000n) {
    const cents = roundTo(abs, 10_000_000n) / 10_000_000n;
    text = `$${group((cents / 100n).toString())}.${(cents % 100n).toString().padStart(2, '0')}`;
  } else {
    const micros = roundTo(abs, 1000n) / 1000n;
    if (micros === 0n) return neg ? '>-$0.000001' : '<$0.000001';
    text = `$0.${micros.toString().padStart(6, '0').replace(/0+$/, '')}`;
  }
  return neg ? `-${text}` : text;
}

/** Every nano-dollar, for balances: `$49.998639` (at least two decimals, trailing zeros dropped). */
export function formatExact(nanos: bigint): string {
  const neg = nanos < 0n;
  const abs = neg ? -nanos : nanos;
  const frac = (abs % NANOS_PER_USD).toString().padStart(9, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${neg ? '-' : ''}$${group((abs / NANOS_PER_USD).toString())}.${frac}`;
}

export const exactMoney = (usd: string | null | undefined) => (usd == null ? '—' : formatExact(usdToNanos(usd)));

/** A USD string from the API for display; `null` (no balance) as an em dash. */
export const money = (usd: string | null | undefined) => (usd == null ? '—' : formatMoney(usdToNanos(usd)));

/** Float dollars, for chart axes only. */
export const nanosToChartUsd = (nanos: bigint) => Number(nanos) / 1e9;
