export { autoConfigFromEnv } from './auto-config.js';
export type { GatewayConfig, GatewayConfigInput, ProviderConfig, RouteConfig, RoutingConfig } from './config-schema.js';
export { configSchema } from './config-schema.js';
export { ConfigError } from './interpolate.js';
export { formatIssues, loadConfigFile, parseConfig, validateConfig } from './load-config.js';
export {
  createPlanResolver,
  DEFAULT_BASE_URLS,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUTS,
  modelNotFound,
  type PlanResolver,
  planFor,
} from './plan-for.js';
