import type { ProviderKind } from '../types.js';

/** Per-token-class rates in integer nano-USD per million tokens: every real catalog price is exact in it. */
export interface Rates {
  input: bigint;
  output: bigint;
  /** Absent: cache reads are billed at the input rate. */
  cacheRead?: bigint;
  /** Absent: cache writes are billed at the input rate. */
  cacheWrite?: bigint;
}

export interface ModelPrice {
  rates: Rates;
  /** Long-context tiers: when the prompt's inputTokens exceed `above`, ALL tokens use `rates`. Ascending. */
  tiers?: ReadonlyArray<{ above: number; rates: Rates }>;
  /** Where the price came from, e.g. `genai-prices@0.1.8` or `override:config`. */
  source: string;
  /** Catalog model id the name resolved to, when known. */
  modelId?: string;
  maxOutputTokens?: number;
  contextWindow?: number;
}

export interface PriceSource {
  lookup(provider: ProviderKind | string, model: string): ModelPrice | undefined;
}
