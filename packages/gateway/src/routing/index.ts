export type { BreakerSnapshot, BreakerState } from './breaker.js';
export { BREAKER_STATE_CODE, BreakerRegistry } from './breaker.js';
export type { Clock } from './clock.js';
export { realClock, sleep } from './clock.js';
export type { ObservableRouteExecutor, RouteExecutorOptions } from './executor.js';
export { createRouteExecutor } from './executor.js';
export type { LatencyStat } from './latency.js';
export type { BreakerConfig, LatencyConfig } from './policy.js';
export {
  BREAKER_FAILURE_CLASSES,
  DEFAULT_BREAKER,
  DEFAULT_LATENCY,
  fallbackAllowed,
  HARD_ATTEMPT_CAP,
  MAX_TRACKED_TARGETS,
} from './policy.js';
export { DEFAULT_OUTPUT_BOUND, priceOfFromSource } from './price-of.js';
export { backoffMs, retryDelayMs } from './retry.js';
export type { PriceOf, Strategy, StrategyInput } from './strategies/index.js';
export { STRATEGIES } from './strategies/index.js';
