import { calcPrice } from '@pydantic/genai-prices';
import { usdToNanos } from '../money.js';
import type { ModelPrice, PriceSource, Rates } from './price-types.js';

// The bundled catalog snapshot; no network: we never call updatePrices().
const CATALOG_VERSION = 'genai-prices@0.1.8';

type RawRate = number | { base: number; tiers: Array<{ start: number; price: number }> } | undefined;
type RawModelPrice = Record<string, unknown>;

/** Our provider kinds → the catalog's provider ids. openai-compatible: let the catalog infer from the model name. */
const PROVIDER_IDS: Record<string, string | undefined> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  google: 'google',
  'openai-compatible': undefined,
  // Cloud routes to the same models have their own catalog providers (Bedrock ids such as
  // `us.anthropic.claude-…-v1:0` and Vertex ids such as `claude-sonnet-4-5@20250929` resolve there).
  'azure-openai': 'azure',
  bedrock: 'aws',
  vertex: 'google',
};

export interface GenAIPricesSourceOptions {
  /** Price as of this date (catalog prices can change over time). Default: now, at each first lookup. */
  at?: Date;
  /** Lookups remembered (model names come from clients, so the cache must not grow with them). Default 4096. */
  maxCached?: number;
}

function rateAt(raw: RawRate, promptTokens: number | undefined): number | undefined {
  if (raw === undefined || typeof raw === 'number') return raw;
  if (promptTokens === undefined) return raw.base;
  let price = raw.base;
  for (const t of raw.tiers) if (promptTokens > t.start) price = t.price;
  return price;
}

function ratesAt(p: RawModelPrice, promptTokens?: number): Rates | undefined {
  const input = rateAt(p.input_mtok as RawRate, promptTokens);
  const output = rateAt(p.output_mtok as RawRate, promptTokens);
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = rateAt(p.cache_read_mtok as RawRate, promptTokens);
  const cacheWrite = rateAt(p.cache_write_mtok as RawRate, promptTokens);
  return {
    input: usdToNanos(input ?? 0),
    output: usdToNanos(output ?? 0),
    ...(cacheRead !== undefined && { cacheRead: usdToNanos(cacheRead) }),
    ...(cacheWrite !== undefined && { cacheWrite: usdToNanos(cacheWrite) }),
  };
}

/** Every tier start of every rate, so one combined tier list describes the whole price. */
function tierStarts(p: RawModelPrice): number[] {
  const starts = new Set<number>();
  for (const key of ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok']) {
    const raw = p[key] as RawRate;
    if (raw && typeof raw === 'object') for (const t of raw.tiers) starts.add(t.start);
  }
  return [...starts].sort((a, b) => a - b);
}

export function modelPriceFromCatalog(
  raw: RawModelPrice,
  modelId: string,
  contextWindow?: number,
): ModelPrice | undefined {
  const rates = ratesAt(raw);
  if (!rates) return undefined;
  const starts = tierStarts(raw);
  return {
    rates,
    ...(starts.length > 0 && {
      tiers: starts.map((above) => ({ above, rates: ratesAt(raw, above + 1) as Rates })),
    }),
    source: CATALOG_VERSION,
    modelId,
    ...(contextWindow !== undefined && { contextWindow }),
  };
}

/** The default PriceSource: the `@pydantic/genai-prices` bundled snapshot, each rate converted once to integers. */
export function createGenAIPricesSource(opts: GenAIPricesSourceOptions = {}): PriceSource {
  const cache = new Map<string, ModelPrice | null>();
  const maxCached = Math.max(1, opts.maxCached ?? 4096);
  return {
    lookup(provider, model) {
      const key = `${provider}\u0000${model}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit ?? undefined;
      let price: ModelPrice | undefined;
      try {
        const providerId = PROVIDER_IDS[provider] ?? (provider in PROVIDER_IDS ? undefined : provider);
        const r = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, {
          ...(providerId && { providerId }),
          ...(opts.at && { timestamp: opts.at }),
        });
        if (r) price = modelPriceFromCatalog(r.model_price, r.model.id, r.model.context_window);
      } catch {
        price = undefined; // an odd model name must not break a call
      }
      // Oldest first out: a stream of unique (unknown) model names cannot grow the heap without bound.
      if (cache.size >= maxCached) cache.delete(cache.keys().next().value ?? '');
      cache.set(key, price ?? null);
      return price;
    },
  };
}
