// USD at the edges: decimal strings or numbers in, decimal strings out; bigint nano-USD inside.
// (Kept local until @switchyard/core exports usdToNanos / nanosToUsdString; same semantics.)
const NANOS = 1_000_000_000n;
const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,9}))?$/;

/** "12.50" | 12.5 → 12_500_000_000n. Throws on anything that is not a plain decimal with ≤ 9 fraction digits. */
export function parseUsd(input: string | number): bigint {
  const text = typeof input === 'number' ? numberToDecimal(input) : input.trim();
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`not a USD amount: ${JSON.stringify(String(input))}`);
  const whole = BigInt(m[2] ?? '0');
  const frac = BigInt((m[3] ?? '').padEnd(9, '0'));
  const nanos = whole * NANOS + frac;
  return m[1] ? -nanos : nanos;
}

function numberToDecimal(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a USD amount: ${n}`);
  // toFixed(9) rounds the binary float to the nearest nano, then we trim: 0.1 → "0.100000000".
  return n.toFixed(9);
}

/** 12_500_000_000n → "12.50"; keeps every significant nano digit: 1n → "0.000000001". */
export function formatUsd(nanos: bigint): string {
  const neg = nanos < 0n;
  const abs = neg ? -nanos : nanos;
  const whole = abs / NANOS;
  let frac = (abs % NANOS).toString().padStart(9, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}
