// `cheapest` needs a price per target for this request: estimated input tokens plus the output bound
// (the client's max tokens, else the model's max output, else a default), priced exactly by core.

import type { PriceSource } from '@switchyard/core';
import { computeCost } from '@switchyard/core';
import { resolvePrice } from '../pricing/resolve-price.js';
import type { PriceOf } from './strategies/index.js';

/** Output tokens assumed when neither the request nor the catalog gives a bound. */
export const DEFAULT_OUTPUT_BOUND = 4_096;

export function priceOfFromSource(source: PriceSource, defaultOutput = DEFAULT_OUTPUT_BOUND): PriceOf {
  return (target, req) => {
    // The one price resolution (override `<providerId>/<model>`, then the target's catalog provider).
    const price = resolvePrice(source, target, req.receivedAt);
    if (!price) return undefined;
    const usage = {
      inputTokens: req.estimatedInputTokens,
      outputTokens: req.maxOutputTokens ?? price.maxOutputTokens ?? defaultOutput,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      source: 'estimated' as const,
    };
    return computeCost(usage, price).totalNanos;
  };
}
