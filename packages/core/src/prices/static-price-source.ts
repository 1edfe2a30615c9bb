import { usdToNanos } from '../money.js';
import type { ModelPrice, PriceSource, Rates } from './price-types.js';

/** Human-friendly USD-per-million-token rates (decimal strings are exact). */
export interface UsdRates {
  input: string | number;
  output: string | number;
  cacheRead?: string | number;
  cacheWrite?: string | number;
}

export interface StaticPriceEntry extends UsdRates {
  tiers?: Array<{ above: number } & UsdRates>;
  maxOutputTokens?: number;
}

/** Keys are `model` (any provider) or `provider/model` (wins over a bare model key). */
export type StaticPriceTable = Record<string, StaticPriceEntry>;

export function usdRatesToRates(r: UsdRates): Rates {
  return {
    input: usdToNanos(r.input),
    output: usdToNanos(r.output),
    ...(r.cacheRead !== undefined && { cacheRead: usdToNanos(r.cacheRead) }),
    ...(r.cacheWrite !== undefined && { cacheWrite: usdToNanos(r.cacheWrite) }),
  };
}

/** A fixed table, e.g. operator overrides from config or a test price list. Converted to integers once. */
export function createStaticPriceSource(table: StaticPriceTable, source = 'override:config'): PriceSource {
  const prices = new Map<string, ModelPrice>();
  for (const [key, entry] of Object.entries(table)) {
    prices.set(key, {
      rates: usdRatesToRates(entry),
      ...(entry.tiers && {
        tiers: entry.tiers
          .map((t) => ({ above: t.above, rates: usdRatesToRates(t) }))
          .sort((a, b) => a.above - b.above),
      }),
      ...(entry.maxOutputTokens !== undefined && { maxOutputTokens: entry.maxOutputTokens }),
      source,
      modelId: key,
    });
  }
  return { lookup: (provider, model) => prices.get(`${provider}/${model}`) ?? prices.get(model) };
}

/** First source with a price wins: put operator overrides before the catalog. */
export function chainPriceSources(...sources: PriceSource[]): PriceSource {
  return {
    lookup(provider, model) {
      for (const s of sources) {
        const hit = s.lookup(provider, model);
        if (hit) return hit;
      }
      return undefined;
    },
  };
}
