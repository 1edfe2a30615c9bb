// How admission prices the upper bound of a call: the gateway's one price resolution (pricing/resolve-price.ts)
// and core's integer computeCost.
import { computeCost, type ModelPrice, type PriceSource, type Usage } from '@switchyard/core';
import type { GatewayRequest, RouteTarget } from '../pipeline/seams.js';
import { type PricedTarget, resolvePrice } from '../pricing/resolve-price.js';

/**
 * Output cap used when neither the request (`max_tokens`) nor the catalog bounds the output. A provider that
 * returns more than this is still charged its actual cost (see docs/accounts.md "When actual > reserved").
 */
export const DEFAULT_OUTPUT_CAP = 8192;

/** The target's price at `at` (default now): the one resolution (override `<providerId>/<model>`, catalog). */
export function lookupPrice(prices: PriceSource, t: PricedTarget, at = Date.now()): ModelPrice | undefined {
  return resolvePrice(prices, t, at);
}

/** Actual cost of a finished call in nano-USD; undefined when no price is known (never a silent $0). */
export function costOf(prices: PriceSource, t: PricedTarget, usage: Usage, at = Date.now()): bigint | undefined {
  const p = resolvePrice(prices, t, at);
  return p ? computeCost(usage, p).totalNanos : undefined;
}

export interface ReservationEstimate {
  /** cost upper bound over the most expensive target; undefined when some target has no price */
  amountNanos: bigint | undefined;
  tokens: number;
  /** The parts of `tokens` (the largest output bound over the targets): what a refusal message explains. */
  inputTokens: number;
  outputTokens: number;
  unknownTargets: string[];
}

export function estimateReservation(
  req: Pick<GatewayRequest, 'endpoint' | 'estimatedInputTokens' | 'maxOutputTokens'> & { receivedAt?: number },
  targets: RouteTarget[],
  prices: PriceSource,
): ReservationEstimate {
  let amount = 0n;
  let tokens = 0;
  let maxOutput = 0;
  const unknownTargets: string[] = [];
  const inputTokens = Math.max(0, Math.ceil(req.estimatedInputTokens));
  for (const t of targets) {
    const price = resolvePrice(prices, t, req.receivedAt ?? Date.now());
    const outputTokens =
      req.endpoint === 'embeddings' ? 0 : (req.maxOutputTokens ?? price?.maxOutputTokens ?? DEFAULT_OUTPUT_CAP);
    tokens = Math.max(tokens, inputTokens + outputTokens);
    maxOutput = Math.max(maxOutput, outputTokens);
    if (!price) {
      unknownTargets.push(t.id);
      continue;
    }
    const usage: Usage = {
      inputTokens,
      outputTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      source: 'estimated',
    };
    // No cache discount assumed: uncached input is the most a prompt can cost.
    const cost = computeCost(usage, price).totalNanos;
    if (cost > amount) amount = cost;
  }
  return {
    amountNanos: unknownTargets.length > 0 ? undefined : amount,
    tokens,
    inputTokens,
    outputTokens: maxOutput,
    unknownTargets,
  };
}
