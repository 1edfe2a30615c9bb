// How admission prices the upper bound of a call: the gateway's one price resolution (pricing/resolve-price.ts)
// and core's integer computeCost.
import { computeCost, type ModelPrice, type PriceSource, type Usage, upperBoundCost } from '@switchyard/core';
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

/** A target's params override the client's body (`{ ...body, ...params }`): its output cap and `n` count too. */
function paramsNumber(params: Record<string, unknown> | undefined, ...names: string[]): number | undefined {
  for (const n of names) {
    const v = params?.[n];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 1) return Math.ceil(v);
  }
  return undefined;
}

type CapRequest = Pick<GatewayRequest, 'maxOutputTokens' | 'outputMultiplier'>;

/**
 * Most output tokens a provider can bill for one call on target `t`: the per-choice cap (target params, then the
 * client's max tokens, then the catalog's max output, then DEFAULT_OUTPUT_CAP) times every completion asked for
 * (`n`, candidates): the provider bills them all.
 */
export function outputCap(req: CapRequest, t: { params?: Record<string, unknown> }, price?: ModelPrice) {
  const p = t.params;
  const perChoice =
    paramsNumber(p, 'max_completion_tokens', 'max_tokens') ??
    req.maxOutputTokens ??
    price?.maxOutputTokens ??
    DEFAULT_OUTPUT_CAP;
  return perChoice * (paramsNumber(p, 'n', 'candidateCount') ?? req.outputMultiplier ?? 1);
}

/** `outputCap` with the price looked up (for the stream guards). */
export function outputCapOf(req: CapRequest, t: RouteTarget, prices: PriceSource): number {
  return outputCap(req, t, lookupPrice(prices, t));
}

export function estimateReservation(
  req: Pick<
    GatewayRequest,
    'endpoint' | 'estimatedInputTokens' | 'maxOutputTokens' | 'outputMultiplier' | 'webSearches'
  > & {
    receivedAt?: number;
  },
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
    const outputTokens = req.endpoint === 'embeddings' ? 0 : outputCap(req, t, price);
    tokens = Math.max(tokens, inputTokens + outputTokens);
    maxOutput = Math.max(maxOutput, outputTokens);
    if (!price) {
      unknownTargets.push(t.id);
      continue;
    }
    // Every token at its side's dearest rate: a prompt written to the 1-hour cache costs 2× plain input.
    const cost = upperBoundCost(inputTokens, outputTokens, price, req.webSearches);
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
