export { type AccountsReader, accountGaugesFrom } from './account-gauges.js';
export { createTelemetry, type Telemetry, type TelemetryConfig } from './create-telemetry.js';
export {
  type AccountGauges,
  BREAKER_STATE_VALUE,
  type BreakerStateName,
  type KeyAccountGauge,
  type TeamAccountGauge,
  type TelemetryHooks,
} from './hooks.js';
export { parseTelemetryConfig, telemetryConfigSchema } from './telemetry-config.js';
export type { Headers, ServerSpanInfo, TracingConfig } from './tracing.js';
