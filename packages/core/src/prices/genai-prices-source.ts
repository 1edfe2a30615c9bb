import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { usdToNanos } from '../money.js';
import type { ModelPrice, PriceSource, Rates } from './price-types.js';

// The bundled catalog snapshot; no network: we never call updatePrices().
const CATALOG_VERSION = 'genai-prices@0.1.8';

type RawRate = number | { base: number; tiers: Array<{ start: number; price: number }> } | undefined;
type RawModelPrice = Record<string, unknown>;
type RawConstraint =
  | { type: 'start_date'; start_date: string }
  | { type: 'time_of_date'; start_time: string; end_time: string }
  | undefined;
type RawPrices = RawModelPrice | Array<{ constraint?: RawConstraint; prices: RawModelPrice }>;

/** Our provider kinds → the catalog's provider ids. openai-compatible: resolved by the gateway, else inferred. */
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

/** Our rate fields → the catalog's price keys (tokens per million, counts per thousand). */
const PRICE_KEYS: ReadonlyArray<readonly [keyof Rates, string]> = [
  ['input', 'input_mtok'],
  ['output', 'output_mtok'],
  ['cacheRead', 'cache_read_mtok'],
  ['cacheWrite', 'cache_write_mtok'],
  ['cacheWrite1h', 'cache_write_1h_mtok'],
  ['inputAudio', 'input_audio_mtok'],
  ['cacheAudioRead', 'cache_audio_read_mtok'],
  ['inputImage', 'input_image_mtok'],
  ['cacheImageRead', 'cache_image_read_mtok'],
  ['outputAudio', 'output_audio_mtok'],
  ['outputImage', 'output_image_mtok'],
  ['webSearch', 'web_searches_kcount'],
  ['request', 'requests_kcount'],
];

export interface GenAIPricesSourceOptions {
  /** Price every call as of this date instead of the call's own time (tests, re-pricing history). */
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
  // No token price: free when the catalog lists no price at all (`:free` models), unknown when it prices only
  // units we do not model (audio hours, pages, …) — never a silent $0 for those.
  if (input === undefined && output === undefined && Object.values(p).some((v) => v !== undefined)) return undefined;
  const rates: Rates = { input: usdToNanos(input ?? 0), output: usdToNanos(output ?? 0) };
  for (const [field, key] of PRICE_KEYS) {
    if (field === 'input' || field === 'output') continue;
    const v = rateAt(p[key] as RawRate, promptTokens);
    if (v !== undefined) rates[field] = usdToNanos(v);
  }
  return rates;
}

/** Every tier start of every rate, so one combined tier list describes the whole price. */
function tierStarts(p: RawModelPrice): number[] {
  const starts = new Set<number>();
  for (const [, key] of PRICE_KEYS) {
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

/** "HH:MM:SS[.fff](Z|±HH:MM)" → seconds after UTC midnight (the catalog's time-of-day constraint format). */
function secondsOfDay(text: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return Number.NaN;
  const local = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(`0.${m[4] ?? '0'}`);
  const offset = m[5] === 'Z' ? 0 : (m[6] === '+' ? 1 : -1) * (Number(m[7]) * 60 + Number(m[8])) * 60;
  return (local - offset + 86_400) % 86_400;
}

type Period = (at: number) => boolean;

/** A constraint → a cheap predicate on epoch ms, built once per model (the catalog's own selection rules). */
function periodOf(c: RawConstraint): Period {
  if (c === undefined) return () => true;
  if (c.type === 'start_date') {
    const start = Date.parse(c.start_date);
    return (at) => at >= start;
  }
  const start = secondsOfDay(c.start_time);
  const end = secondsOfDay(c.end_time);
  return (at) => {
    const s = (((at / 1000) % 86_400) + 86_400) % 86_400;
    return end < start ? s >= start || s < end : s >= start && s < end;
  };
}

/** A resolved catalog model: its price periods converted to integers once, selected per call by time. */
interface Resolved {
  periods: ReadonlyArray<{ applies: Period; price: ModelPrice | undefined }>;
}

function resolve(prices: RawPrices, modelId: string, contextWindow?: number): Resolved {
  const list = Array.isArray(prices) ? prices : [{ prices }];
  return {
    periods: list.map((p) => ({
      applies: periodOf(p.constraint),
      price: modelPriceFromCatalog(p.prices, modelId, contextWindow),
    })),
  };
}

/** The catalog's rule: the LAST period whose constraint holds, else the first. */
function priceAt(r: Resolved, at: number): ModelPrice | undefined {
  for (let i = r.periods.length - 1; i >= 0; i--) {
    const p = r.periods[i];
    if (p?.applies(at)) return p.price;
  }
  return r.periods[0]?.price;
}

/**
 * The catalog provider id for a configured provider: its `id` (or a name the catalog knows it by, e.g. `xai`),
 * else the provider whose API URL pattern matches `baseURL`. Undefined when the catalog knows neither.
 */
export function catalogProviderFor(opts: { id?: string; baseURL?: string }): string | undefined {
  try {
    if (opts.id) {
      const byId = findProvider({ providerId: opts.id });
      if (byId) return byId.id;
    }
    if (opts.baseURL) return findProvider({ providerApiUrl: opts.baseURL })?.id;
  } catch {
    // a malformed id or URL simply has no catalog provider
  }
  return undefined;
}

/**
 * The default PriceSource: the `@pydantic/genai-prices` bundled snapshot. Each model is resolved once (name
 * matching is the slow part) and each of its price periods converted once to integers; a call only selects the
 * period that holds at its own time, so dated price changes and time-of-day discounts apply to the right calls.
 */
export function createGenAIPricesSource(opts: GenAIPricesSourceOptions = {}): PriceSource {
  const cache = new Map<string, Resolved | null>();
  const maxCached = Math.max(1, opts.maxCached ?? 4096);
  const fixedAt = opts.at?.getTime();
  return {
    lookup(provider, model, at) {
      const key = `${provider}\u0000${model}`;
      let hit = cache.get(key);
      if (hit === undefined) {
        hit = null;
        try {
          const providerId = Object.hasOwn(PROVIDER_IDS, provider) ? PROVIDER_IDS[provider] : provider;
          const r = calcPrice({ input_tokens: 1, output_tokens: 1 }, model, providerId ? { providerId } : {});
          if (r) hit = resolve(r.model.prices as RawPrices, r.model.id, r.model.context_window);
        } catch {
          hit = null; // an odd model name must not break a call
        }
        // Oldest first out: a stream of unique (unknown) model names cannot grow the heap without bound.
        if (cache.size >= maxCached) cache.delete(cache.keys().next().value ?? '');
        cache.set(key, hit);
      }
      return hit ? priceAt(hit, fixedAt ?? at ?? Date.now()) : undefined;
    },
  };
}
