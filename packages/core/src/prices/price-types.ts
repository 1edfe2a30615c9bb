import type { ProviderKind } from '../types.js';

/**
 * Per-unit rates in integer nano-USD: token rates per million tokens, count rates per thousand (the catalog's
 * `_mtok` and `_kcount` units), so every real catalog price is exact. A rate left out is billed at the rate of
 * the coarser unit that contains it (1-hour cache writes at the cache-write rate, cached audio at the cache-read
 * rate, audio at the input rate, …) — the same rule as the `@pydantic/genai-prices` catalog.
 */
export interface Rates {
  input: bigint;
  output: bigint;
  /** Absent: cache reads are billed at the input rate. */
  cacheRead?: bigint;
  /** Cache writes (Anthropic's 5-minute writes). Absent: billed at the input rate. */
  cacheWrite?: bigint;
  /** 1-hour cache writes (catalog `cache_write_1h_mtok`). Absent: billed at `cacheWrite`. */
  cacheWrite1h?: bigint;
  /** Audio prompt tokens (catalog `input_audio_mtok`). Absent: billed as input. */
  inputAudio?: bigint;
  /** Cached audio prompt tokens (catalog `cache_audio_read_mtok`). */
  cacheAudioRead?: bigint;
  /** Image prompt tokens (catalog `input_image_mtok`). */
  inputImage?: bigint;
  /** Cached image prompt tokens (catalog `cache_image_read_mtok`). */
  cacheImageRead?: bigint;
  /** Audio output tokens (catalog `output_audio_mtok`). Absent: billed as output. */
  outputAudio?: bigint;
  /** Image output tokens (catalog `output_image_mtok`). */
  outputImage?: bigint;
  /** Per THOUSAND server-side web searches (catalog `web_searches_kcount`). Absent: not billed. */
  webSearch?: bigint;
  /** Per THOUSAND requests: a flat fee per call (catalog `requests_kcount`). Absent: none. */
  request?: bigint;
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
  /**
   * The price of `model` at provider `provider` for a call made at `at` (epoch ms; default: now). Prices can
   * change over time (dated price changes, time-of-day discounts), so each call is priced at its own time.
   */
  lookup(provider: ProviderKind | string, model: string, at?: number): ModelPrice | undefined;
}
