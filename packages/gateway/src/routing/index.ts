export { createRouteExecutor } from './executor.js';
export type { ObservableRouteExecutor, RouteExecutorOptions } from './executor.js';
export { BREAKER_STATE_CODE, BreakerRegistry } from './breaker.js';
export type { BreakerSnapshot, BreakerState } from './breaker.js';
export { realClock, sleep } from './clock.js';
export type { Clock } from './clock.js';
export type { LatencyStat } from './latency.js';
export {
  BREAKER_FAILURE_CLASSES,
  DEFAULT_BREAKER,
  DEFAULT_LATENCY,
  HARD_ATTEMPT_CAP,
  fallbackAllowed,
} from './policy.js';
export type { BreakerConfig, LatencyConfig } from './policy.js';
export { backoffMs, retryDelayMs } from './retry.js';
export { STRATEGIES } from './strategies/index.js';
export type { PriceOf, Strategy, StrategyInput } from './strategies/index.js';
