// createRouteExecutor: orders targets with the plan's strategy, then runs the composed layers
// retry → breaker → attempt over one lane (or two when hedging), within the request's deadline.
import type { ErrorInfo, PriceSource } from '@switchyard/core';
import { defaultPriceSource } from '@switchyard/core';
import { cancellationOf } from '../pipeline/cancellation.js';
import type { Attempt, GatewayRequest, RouteExecutor, RoutePlan, RouteResult } from '../pipeline/seams.js';
import { RouteError } from '../pipeline/seams.js';
import { attemptCore } from './attempt-layer.js';
import type { BreakerSnapshot, BreakerState } from './breaker.js';
import { BreakerRegistry } from './breaker.js';
import { breakerLayer, verdictOf } from './breaker-layer.js';
import type { Clock } from './clock.js';
import { realClock } from './clock.js';
import { runLane } from './fallback.js';
import { hedgeDelayMs, runHedged } from './hedge.js';
import type { LatencyStat } from './latency.js';
import { LatencyTracker } from './latency.js';
import type { BreakerConfig, LatencyConfig } from './policy.js';
import { DEFAULT_BREAKER, DEFAULT_LATENCY, HARD_ATTEMPT_CAP } from './policy.js';
import { priceOfFromSource } from './price-of.js';
import { RateLimitRegistry, type RateLimitSnapshot, rateLimitLayer } from './rate-limits.js';
import { retryLayer } from './retry.js';
import { toAttemptError } from './route-errors.js';
import type { Run } from './run-state.js';
import { compose, targetQueue } from './run-state.js';
import type { PriceOf } from './strategies/index.js';
import { STRATEGIES } from './strategies/index.js';

export interface RouteExecutorOptions {
  clock?: Clock;
  random?: () => number;
  breaker?: Partial<BreakerConfig>;
  latency?: Partial<LatencyConfig>;
  /** Price of a request on a target (for `cheapest`); undefined = unknown, sorted last. */
  priceOf?: PriceOf;
  /** Used for `cheapest` when no `priceOf` is given. Default: core's catalog (built on first use). */
  priceSource?: PriceSource;
  /** Request-wide cap on upstream attempts (never above HARD_ATTEMPT_CAP). */
  attemptCap?: number;
  /** Called on every breaker transition (e.g. to log or bump a metric). */
  onBreakerChange?: (targetId: string, state: BreakerState) => void;
}

export interface ObservableRouteExecutor extends RouteExecutor {
  breakerStates(): BreakerSnapshot[];
  latencyStats(): LatencyStat[];
  /** Targets a 429 with Retry-After marked rate-limited, and until when. */
  rateLimitStates(): RateLimitSnapshot[];
}

const dispatch = compose(rateLimitLayer, retryLayer, breakerLayer)(attemptCore);

export function createRouteExecutor(options: RouteExecutorOptions = {}): ObservableRouteExecutor {
  const clock = options.clock ?? realClock;
  const random = options.random ?? Math.random;
  const latencyCfg = { ...DEFAULT_LATENCY, ...options.latency };
  const breakers = new BreakerRegistry({ ...DEFAULT_BREAKER, ...options.breaker }, options.onBreakerChange);
  const latency = new LatencyTracker(latencyCfg);
  const rateLimits = new RateLimitRegistry();
  let catalogPriceOf: PriceOf | undefined;
  const priceOf: PriceOf =
    options.priceOf ??
    ((target, req) => {
      catalogPriceOf ??= priceOfFromSource(options.priceSource ?? defaultPriceSource());
      return catalogPriceOf(target, req);
    });
  const attemptCap = Math.min(HARD_ATTEMPT_CAP, options.attemptCap ?? HARD_ATTEMPT_CAP);

  async function execute<T>(plan: RoutePlan, attempt: Attempt<T>, req: GatewayRequest): Promise<RouteResult<T>> {
    const now = clock.now();
    const ordered = STRATEGIES[plan.strategy]({
      targets: plan.targets,
      req,
      random,
      latencyOf: (id) => latency.ewma(id, now),
      priceOf,
      exploreRate: latencyCfg.exploreRate,
    });
    const deadline = req.receivedAt + plan.timeouts.totalMs;
    const cancel = cancellationOf(req);
    const run: Run<T> = {
      plan,
      req,
      attempt,
      clock,
      random,
      breakers,
      rateLimits,
      latency,
      deadline,
      cancel,
      log: [],
      attempts: 0,
      attemptCap,
      firstByteSeen: false,
      waitMs: 0,
    };
    try {
      const queue = targetQueue(ordered);
      const first = ordered[0];
      const delay = first && ordered.length > 1 ? hedgeDelayMs(plan, latency, first.id) : undefined;
      const win =
        delay === undefined
          ? await runLane(dispatch, { run, cancel, kind: 'primary', queue })
          : await runHedged(run, queue, dispatch, delay);
      return { value: win.value, target: win.target, attempts: run.log, waitMs: run.waitMs };
    } catch (err) {
      throw new RouteError(toAttemptError(err).info, run.log, run.waitMs);
    }
  }

  return {
    execute,
    // Late outcome of a committed attempt. First-byte latency was already recorded when it committed, so only
    // the breaker learns from this (a total stream duration would skew the first-byte EWMA).
    report(targetId: string, outcome: { ok: boolean; latencyMs: number; error?: ErrorInfo }) {
      const verdict = outcome.ok ? 'success' : verdictOf(outcome.error);
      breakers.record(targetId, verdict, clock.now());
    },
    breakerStates: () => breakers.snapshot(clock.now()),
    latencyStats: () => latency.stats(),
    rateLimitStates: () => rateLimits.snapshot(clock.now()),
  };
}
