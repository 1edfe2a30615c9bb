import type { Cost, ProviderKind, Usage } from '../types.js';
import { computeCost } from './compute-cost.js';
import { createGenAIPricesSource } from './genai-prices-source.js';
import type { PriceSource } from './price-types.js';

export type PriceLogger = (message: string) => void;

let defaultSource: PriceSource | undefined;
/** The catalog source, built on first use (shared; its per-model cache makes lookups cheap). */
export function defaultPriceSource(): PriceSource {
  defaultSource ??= createGenAIPricesSource();
  return defaultSource;
}

const warned = new Set<string>();
const MAX_WARNED = 10_000;

/** One log line per unknown provider/model, never one per call. */
function warnOnce(provider: string, model: string, log: PriceLogger): void {
  const key = `${provider}/${model}`;
  if (warned.has(key) || warned.size >= MAX_WARNED) return;
  warned.add(key);
  log(`[switchyard] no price known for ${key}: calls are flagged unknownPrice, cost is not recorded`);
}

export interface PriceCallResult {
  cost?: Cost;
  unknownPrice: boolean;
}

/** Price one call made at `at` (epoch ms, default now). An unknown model is loud (flag + one log line), never $0. */
export function priceCall(
  usage: Usage,
  provider: ProviderKind | string,
  model: string,
  source: PriceSource = defaultPriceSource(),
  log: PriceLogger = console.warn,
  at?: number,
): PriceCallResult {
  const price = source.lookup(provider, model, at);
  if (!price) {
    warnOnce(provider, model, log);
    return { unknownPrice: true };
  }
  return { cost: computeCost(usage, price), unknownPrice: false };
}

/** The model's maximum output tokens if the price source knows it (the gateway reserves credit from it). */
export function maxOutputTokens(
  provider: ProviderKind | string,
  model: string,
  source: PriceSource = defaultPriceSource(),
): number | undefined {
  return source.lookup(provider, model)?.maxOutputTokens;
}
