import type { Cost, Usage } from '../types.js';
import type { ModelPrice, Rates } from './price-types.js';

const PER_MTOK = 1_000_000n;
const PER_K = 1_000n;

/** The rates that apply to a prompt of `promptTokens` input tokens (highest tier it exceeds). */
export function ratesFor(price: ModelPrice, promptTokens: number): Rates {
  let rates = price.rates;
  for (const t of price.tiers ?? []) if (promptTokens > t.above) rates = t.rates;
  return rates;
}

/** Round a non-negative (count × rate) product to whole nano-USD, half up. */
function toNanos(product: bigint, per: bigint): bigint {
  return (product + per / 2n) / per;
}

type TokenRate = Exclude<keyof Rates, 'webSearch' | 'request'>;
interface TokenUnit {
  rate: TokenRate;
  count: (u: Usage) => number;
  /** Every coarser unit that contains this one (its tokens are part of theirs). */
  within: readonly TokenRate[];
}

const n = (x: number | undefined): number => (x !== undefined && x > 0 ? x : 0);

// Most specific first, so a unit's leaf (its tokens not claimed by a priced finer unit) is known before the coarser
// units it is part of. This is the catalog's own unit lattice, restricted to the units providers report to us.
const INPUT_UNITS: readonly TokenUnit[] = [
  { rate: 'cacheAudioRead', count: (u) => n(u.cacheAudioReadTokens), within: ['cacheRead', 'inputAudio', 'input'] },
  { rate: 'cacheImageRead', count: (u) => n(u.cacheImageReadTokens), within: ['cacheRead', 'inputImage', 'input'] },
  { rate: 'cacheWrite1h', count: (u) => n(u.cacheWrite1hTokens), within: ['cacheWrite', 'input'] },
  { rate: 'cacheRead', count: (u) => n(u.cacheReadTokens), within: ['input'] },
  { rate: 'cacheWrite', count: (u) => n(u.cacheWriteTokens), within: ['input'] },
  { rate: 'inputAudio', count: (u) => n(u.inputAudioTokens), within: ['input'] },
  { rate: 'inputImage', count: (u) => n(u.inputImageTokens), within: ['input'] },
  { rate: 'input', count: (u) => n(u.inputTokens), within: [] },
];
const OUTPUT_UNITS: readonly TokenUnit[] = [
  { rate: 'outputAudio', count: (u) => n(u.outputAudioTokens), within: ['output'] },
  { rate: 'outputImage', count: (u) => n(u.outputImageTokens), within: ['output'] },
  { rate: 'output', count: (u) => n(u.outputTokens), within: [] },
];
const COUNT = Object.fromEntries([...INPUT_UNITS, ...OUTPUT_UNITS].map((x) => [x.rate, x.count])) as Record<
  TokenRate,
  (u: Usage) => number
>;

/**
 * Σ leaf × rate over the priced units of one side. A unit without a rate is not split out: its tokens stay in
 * the coarser unit and are billed at its rate. A finer count larger than what contains it (provider drift) is
 * clamped: no leaf is ever negative.
 */
function sideProduct(units: readonly TokenUnit[], r: Rates, usage: Usage): bigint {
  const claimed: Partial<Record<TokenRate, number>> = {};
  let product = 0n;
  for (const unit of units) {
    const rate = r[unit.rate];
    if (rate === undefined) continue;
    let leaf = unit.count(usage) - (claimed[unit.rate] ?? 0);
    for (const parent of unit.within) leaf = Math.min(leaf, COUNT[parent](usage) - (claimed[parent] ?? 0));
    if (leaf <= 0) continue;
    product += BigInt(leaf) * rate;
    for (const parent of unit.within) claimed[parent] = (claimed[parent] ?? 0) + leaf;
  }
  return product;
}

/** Any usage part beyond cache reads and writes (most calls have none: they take the short path). */
function hasParts(u: Usage): boolean {
  return !!(
    u.cacheWrite1hTokens ||
    u.inputAudioTokens ||
    u.cacheAudioReadTokens ||
    u.inputImageTokens ||
    u.cacheImageReadTokens ||
    u.outputAudioTokens ||
    u.outputImageTokens
  );
}

/** The lattice for plain input, cache reads and cache writes only, as straight arithmetic (same result). */
function plainInput(r: Rates, u: Usage): bigint {
  const input = n(u.inputTokens);
  const read = Math.min(n(u.cacheReadTokens), input);
  const write = Math.min(n(u.cacheWriteTokens), input - read);
  return (
    BigInt(input - read - write) * r.input +
    BigInt(read) * (r.cacheRead ?? r.input) +
    BigInt(write) * (r.cacheWrite ?? r.input)
  );
}

/**
 * Exact integer cost: every token at the rate of the finest priced unit it belongs to (cache reads, 5-minute and
 * 1-hour cache writes, audio, images, plain input; audio, images, plain output — reasoning is plain output),
 * plus per-call fees (web searches, per-request fees). Each side is rounded once.
 */
export function computeCost(usage: Usage, price: ModelPrice): Cost {
  const r = ratesFor(price, usage.inputTokens);
  const parts = hasParts(usage);
  const inputNanos = toNanos(parts ? sideProduct(INPUT_UNITS, r, usage) : plainInput(r, usage), PER_MTOK);
  const outputNanos = toNanos(
    parts ? sideProduct(OUTPUT_UNITS, r, usage) : BigInt(n(usage.outputTokens)) * r.output,
    PER_MTOK,
  );
  const feeProduct = BigInt(n(usage.webSearchRequests)) * (r.webSearch ?? 0n) + (r.request ?? 0n);
  const feeNanos = feeProduct === 0n ? 0n : toNanos(feeProduct, PER_K);
  const cost: Cost = {
    inputNanos,
    outputNanos,
    totalNanos: inputNanos + outputNanos + feeNanos,
    priceSource: price.source,
  };
  if (feeNanos > 0n) cost.feeNanos = feeNanos;
  return cost;
}

const maxOf = (...xs: Array<bigint | undefined>): bigint => {
  let m = 0n;
  for (const x of xs) if (x !== undefined && x > m) m = x;
  return m;
};

/**
 * The most `inputTokens` in and `outputTokens` out can cost, whatever their kind: every input token at the
 * dearest input-side rate (a cache write — 1-hour writes are 2× input on Claude — audio, images), every output
 * token at the dearest output-side rate, plus the per-request fee and `webSearches` server-side searches (not bounded
 * by tokens: the caller bounds them from the request). What a credit reservation must hold.
 */
export function upperBoundCost(inputTokens: number, outputTokens: number, price: ModelPrice, webSearches = 0): bigint {
  const r = ratesFor(price, inputTokens);
  const input = maxOf(
    r.input,
    r.cacheRead,
    r.cacheWrite,
    r.cacheWrite1h,
    r.inputAudio,
    r.cacheAudioRead,
    r.inputImage,
    r.cacheImageRead,
  );
  const output = maxOf(r.output, r.outputAudio, r.outputImage);
  // Rounded up, per side: never below computeCost's half-up rounding of each side.
  const up = (product: bigint, per: bigint) => (product + per - 1n) / per;
  return (
    up(BigInt(n(inputTokens)) * input, PER_MTOK) +
    up(BigInt(n(outputTokens)) * output, PER_MTOK) +
    (r.request ? up(r.request, PER_K) : 0n) +
    (r.webSearch && webSearches > 0 ? up(BigInt(n(webSearches)) * r.webSearch, PER_K) : 0n)
  );
}
