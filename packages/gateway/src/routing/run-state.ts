// Per-request state shared by the layers, and a lane: one sequential chain of attempts (the primary chain, or
// a hedge). Layers are composed once per executor; everything per-request travels in these objects.
import type { Cancellation } from '../pipeline/cancellation.js';
import type { Attempt, AttemptContext, AttemptLog, GatewayRequest, RoutePlan, RouteTarget } from '../pipeline/seams.js';
import type { BreakerRegistry } from './breaker.js';
import type { Clock } from './clock.js';
import type { LatencyTracker } from './latency.js';
import type { RateLimitRegistry } from './rate-limits.js';

export interface Run<T> {
  plan: RoutePlan;
  req: GatewayRequest;
  attempt: Attempt<T>;
  clock: Clock;
  random: () => number;
  breakers: BreakerRegistry;
  rateLimits: RateLimitRegistry;
  latency: LatencyTracker;
  /** epoch ms: the request's total deadline. */
  deadline: number;
  /** The client's cancellation. The deadline is enforced by each attempt's timer and checked before every wait. */
  cancel: Cancellation;
  log: AttemptLog[];
  /** Attempts started so far (all lanes). */
  attempts: number;
  attemptCap: number;
  /** Set once any attempt reported its first byte (hedging stops waiting). */
  firstByteSeen: boolean;
  /** ms slept between attempts (retry backoff, Retry-After), all lanes: kept out of the overhead metric. */
  waitMs: number;
}

export interface Lane<T> {
  run: Run<T>;
  /** Aborted when this lane lost a hedge race (and by the run's cancellation). */
  cancel: Cancellation;
  /** Kind of this lane's next attempt. */
  kind: AttemptContext['kind'];
  /** Targets not yet tried by any lane (shared by hedge lanes, so no target runs twice). */
  queue: TargetQueue;
}

export interface TargetQueue {
  next(): RouteTarget | undefined;
  remaining(): number;
}

export function targetQueue(targets: readonly RouteTarget[]): TargetQueue {
  let i = 0;
  return { next: () => targets[i++], remaining: () => Math.max(0, targets.length - i) };
}

/** Runs one target for a lane; rejects with AttemptError. Layers wrap it. */
export type Dispatch = <T>(target: RouteTarget, lane: Lane<T>) => Promise<T>;
export type Layer = (next: Dispatch) => Dispatch;

/** Right-to-left composition: compose(a, b)(core) = a(b(core)). */
export const compose =
  (...layers: Layer[]) =>
  (core: Dispatch): Dispatch =>
    layers.reduceRight((next, layer) => layer(next), core);
