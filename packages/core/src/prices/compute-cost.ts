import type { Cost, Usage } from '../types.js';
import type { ModelPrice, Rates } from './price-types.js';

const PER_MTOK = 1_000_000n;

/** The rates that apply to a prompt of `promptTokens` input tokens (highest tier it exceeds). */
export function ratesFor(price: ModelPrice, promptTokens: number): Rates {
  let rates = price.rates;
  for (const t of price.tiers ?? []) if (promptTokens > t.above) rates = t.rates;
  return rates;
}

/** Round a non-negative (tokens × nanos-per-Mtok) product to whole nano-USD, half up. */
function toNanos(product: bigint): bigint {
  return (product + PER_MTOK / 2n) / PER_MTOK;
}

/**
 * Exact integer cost: cache reads at the cache-read rate, cache writes at the write rate, the rest of the
 * input at the input rate, all output (reasoning included) at the output rate. Each side is rounded once.
 */
export function computeCost(usage: Usage, price: ModelPrice): Cost {
  const r = ratesFor(price, usage.inputTokens);
  const cacheRead = BigInt(Math.max(0, Math.min(usage.cacheReadTokens, usage.inputTokens)));
  const cacheWrite = BigInt(Math.max(0, Math.min(usage.cacheWriteTokens, usage.inputTokens - Number(cacheRead))));
  const plain = BigInt(Math.max(0, usage.inputTokens)) - cacheRead - cacheWrite;
  const inputProduct = plain * r.input + cacheRead * (r.cacheRead ?? r.input) + cacheWrite * (r.cacheWrite ?? r.input);
  const inputNanos = toNanos(inputProduct);
  const outputNanos = toNanos(BigInt(Math.max(0, usage.outputTokens)) * r.output);
  return { inputNanos, outputNanos, totalNanos: inputNanos + outputNanos, priceSource: price.source };
}
