// A strategy orders a route's targets for one request: the first is tried first, the rest are fallbacks.
// Pure: everything it may look at (randomness, latency, prices, time) is passed in.
import type { Nanos } from '@switchyard/core';
import type { GatewayRequest, RouteTarget } from '../../pipeline/seams.js';

export type PriceOf = (target: RouteTarget, req: GatewayRequest) => Nanos | undefined;

export interface StrategyInput {
  targets: readonly RouteTarget[];
  req: GatewayRequest;
  random: () => number;
  /** Latency EWMA in ms, undefined when unknown or stale. */
  latencyOf: (targetId: string) => number | undefined;
  priceOf: PriceOf;
  exploreRate: number;
}

export type Strategy = (input: StrategyInput) => RouteTarget[];

/** Moves targets[i] to the front, keeping the others in order. */
export function promote(targets: readonly RouteTarget[], i: number): RouteTarget[] {
  const chosen = targets[i];
  if (!chosen) return [...targets];
  return [chosen, ...targets.slice(0, i), ...targets.slice(i + 1)];
}
