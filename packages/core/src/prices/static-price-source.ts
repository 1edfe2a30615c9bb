import { usdToNanos } from '../money.js';
import type { ModelPrice, PriceSource, Rates } from './price-types.js';

type Usd = string | number;

/**
 * Human-friendly rates (decimal strings are exact): USD per million tokens, except `webSearch` and `request`
 * in USD per thousand searches / requests (the catalog's units). Same fields and fallbacks as `Rates`.
 */
export interface UsdRates {
  input: Usd;
  output: Usd;
  cacheRead?: Usd;
  cacheWrite?: Usd;
  cacheWrite1h?: Usd;
  inputAudio?: Usd;
  cacheAudioRead?: Usd;
  inputImage?: Usd;
  cacheImageRead?: Usd;
  outputAudio?: Usd;
  outputImage?: Usd;
  webSearch?: Usd;
  request?: Usd;
}

const OPTIONAL_RATES = [
  'cacheRead',
  'cacheWrite',
  'cacheWrite1h',
  'inputAudio',
  'cacheAudioRead',
  'inputImage',
  'cacheImageRead',
  'outputAudio',
  'outputImage',
  'webSearch',
  'request',
] as const satisfies ReadonlyArray<keyof UsdRates & keyof Rates>;

export interface StaticPriceEntry extends UsdRates {
  tiers?: Array<{ above: number } & UsdRates>;
  maxOutputTokens?: number;
}

/** Keys are `model` (any provider) or `provider/model` (wins over a bare model key). */
export type StaticPriceTable = Record<string, StaticPriceEntry>;

export function usdRatesToRates(r: UsdRates): Rates {
  const rates: Rates = { input: usdToNanos(r.input), output: usdToNanos(r.output) };
  for (const field of OPTIONAL_RATES) {
    const v = r[field];
    if (v !== undefined) rates[field] = usdToNanos(v);
  }
  return rates;
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
  // Fixed prices: the call's time does not matter.
  return { lookup: (provider, model) => prices.get(`${provider}/${model}`) ?? prices.get(model) };
}

/** First source with a price wins: put operator overrides before the catalog. */
export function chainPriceSources(...sources: PriceSource[]): PriceSource {
  return {
    lookup(provider, model, at) {
      for (const s of sources) {
        const hit = s.lookup(provider, model, at);
        if (hit) return hit;
      }
      return undefined;
    },
  };
}
