// switchyard_shadow_* Prometheus families. Labels are config-bounded: route alias, shadow target, fixed enums.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80];
const SIMILARITY_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99, 1];

export type ShadowMetrics = ReturnType<typeof createShadowMetrics>;

export function createShadowMetrics(registry: Registry) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'switchyard_shadow_requests_total',
      help: 'Shadow calls made, by route, shadow target and outcome (ok / error).',
      labelNames: ['route', 'target', 'outcome'] as const,
      registers,
    }),
    dropped: new Counter({
      name: 'switchyard_shadow_dropped_total',
      help: 'Sampled requests not mirrored, by route and reason (saturated / budget / unknown_price / no_target).',
      labelNames: ['route', 'reason'] as const,
      registers,
    }),
    cost: new Counter({
      name: 'switchyard_shadow_cost_usd_total',
      help: 'Cost of shadow calls (USD), charged to the operator shadow account, never to a client key.',
      labelNames: ['route', 'target'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'switchyard_shadow_duration_seconds',
      help: 'Upstream duration of mirrored pairs, by route and role (primary / shadow).',
      labelNames: ['route', 'role'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    tokens: new Counter({
      name: 'switchyard_shadow_tokens_total',
      help: 'Tokens of mirrored pairs, by route, role (primary / shadow) and direction (input / output).',
      labelNames: ['route', 'role', 'direction'] as const,
      registers,
    }),
    similarity: new Histogram({
      name: 'switchyard_shadow_similarity',
      help: 'Similarity (0..1) of the shadow output to the primary output, by route, target and kind (exact / json / text).',
      labelNames: ['route', 'target', 'kind'] as const,
      buckets: SIMILARITY_BUCKETS,
      registers,
    }),
    inFlight: new Gauge({
      name: 'switchyard_shadow_in_flight',
      help: 'Shadow calls currently running.',
      registers,
    }),
    budgetSpent: new Gauge({
      name: 'switchyard_shadow_budget_spent_usd',
      help: "Shadow spend of the current UTC day by route (USD); compare with the route's maxUsdPerDay.",
      labelNames: ['route'] as const,
      registers,
    }),
  };
}
