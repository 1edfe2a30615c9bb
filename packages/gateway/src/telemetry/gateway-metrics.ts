// The gateway's own Prometheus families (names and labels documented in packages/gateway/docs/metrics.md).
// GenAI semconv families and the cost counter come from core's Prometheus sink on the same registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { batchedCounter } from './batched-counter.js';
import { BREAKER_STATE_VALUE, type TelemetryHooks } from './hooks.js';
import { createLabelCap } from './label-cap.js';
import { createTeamGauges } from './team-gauges.js';

/** Request latency buckets (seconds): 5 ms … 80 s, LLM calls are slow and long-tailed. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80];
/** Gateway overhead buckets (seconds): from 50 µs, where a healthy proxy lives, to 250 ms. */
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

export interface GatewayMetricsOptions {
  perKeyLabels: boolean;
  maxKeys: number;
  /** Distinct team ids labelled before the rest collapse into `other`. Default 50. */
  maxTeams?: number;
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;

export function createGatewayMetrics(registry: Registry, hooks: TelemetryHooks, opts: GatewayMetricsOptions) {
  const registers = [registry];
  const keyCap = createLabelCap(opts.maxKeys);
  return {
    requests: batchedCounter({
      name: 'switchyard_requests_total',
      help: 'Client requests handled, by route, endpoint, HTTP status class and error class (none on success).',
      labelNames: ['route', 'endpoint', 'status_class', 'error_class'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'switchyard_request_duration_seconds',
      help: 'Client request duration from receipt to the last byte, by route, endpoint and status class.',
      labelNames: ['route', 'endpoint', 'status_class'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    overhead: new Histogram({
      name: 'switchyard_gateway_overhead_seconds',
      help: 'Time the gateway itself added: request duration minus time spent waiting on upstream.',
      labelNames: ['endpoint'] as const,
      buckets: OVERHEAD_BUCKETS,
      registers,
    }),
    inFlight: new Gauge({
      name: 'switchyard_in_flight_requests',
      help: 'Client requests currently being handled.',
      registers,
    }),
    attempts: batchedCounter({
      name: 'switchyard_upstream_attempts_total',
      help: 'Upstream attempts by provider id, model, kind (primary/retry/fallback/hedge), outcome and error class.',
      labelNames: ['provider', 'model', 'kind', 'outcome', 'error_class'] as const,
      registers,
    }),
    upstreamResponses: batchedCounter({
      name: 'switchyard_upstream_responses_total',
      help: 'Upstream attempts by provider id and HTTP status code (`none` when no response arrived).',
      labelNames: ['provider', 'status_code'] as const,
      registers,
    }),
    retries: new Counter({
      name: 'switchyard_retries_total',
      help: 'Retry attempts (same target again), by route and target.',
      labelNames: ['route', 'target'] as const,
      registers,
    }),
    fallbacks: new Counter({
      name: 'switchyard_fallbacks_total',
      help: 'Fallback attempts (moved on to another target), by route and the target fallen back to.',
      labelNames: ['route', 'target'] as const,
      registers,
    }),
    hedges: new Counter({
      name: 'switchyard_hedges_total',
      help: 'Hedge attempts (a second concurrent attempt), by route, target and outcome.',
      labelNames: ['route', 'target', 'outcome'] as const,
      registers,
    }),
    breakerSkips: new Counter({
      name: 'switchyard_breaker_skips_total',
      help: 'Targets skipped because their circuit breaker was open, by route and target.',
      labelNames: ['route', 'target'] as const,
      registers,
    }),
    breakerState: new Gauge({
      name: 'switchyard_breaker_state',
      help: 'Circuit breaker state per target: 0 closed, 1 half-open, 2 open.',
      labelNames: ['target'] as const,
      registers,
      collect() {
        if (!hooks.breakerStates) return;
        this.reset();
        for (const [target, state] of hooks.breakerStates()) this.set({ target }, BREAKER_STATE_VALUE[state]);
      },
    }),
    cacheRequests: new Counter({
      name: 'switchyard_cache_requests_total',
      help: 'Requests the response cache took part in, by route, endpoint and result (hit, miss, bypass).',
      labelNames: ['route', 'endpoint', 'result'] as const,
      registers,
    }),
    costSaved: new Counter({
      name: 'switchyard_cost_saved_usd_total',
      help: "Upstream spend avoided by response cache hits (the original calls' cost), USD, by route and endpoint.",
      labelNames: ['route', 'endpoint'] as const,
      registers,
    }),
    ...accountGauges(registers, hooks, opts.perKeyLabels ? (k) => keyCap.label(k) : undefined, opts.maxTeams ?? 50),
  };
}

/** Per-key values when opted in (capped), else one `_all` series: credits summed, budget ratio = the worst key. */
function accountGauges(
  registers: Registry[],
  hooks: TelemetryHooks,
  keyLabel: ((keyId: string) => string) | undefined,
  maxTeams: number,
) {
  const read = sharedRead(hooks.accountGauges);
  const teams = createTeamGauges(registers, read, createLabelCap(maxTeams));
  const credits = new Gauge({
    name: 'switchyard_credits_remaining_usd',
    help: 'Prepaid credits left in USD, per virtual key id when per-key labels are on, else key="_all" (sum).',
    labelNames: ['key'] as const,
    registers,
    async collect() {
      const snap = await read();
      if (!snap) return;
      this.reset();
      const sums = new Map<string, bigint>();
      for (const k of snap.keys) {
        if (k.creditsRemainingNanos === undefined) continue;
        const key = keyLabel ? keyLabel(k.keyId) : '_all';
        sums.set(key, (sums.get(key) ?? 0n) + k.creditsRemainingNanos);
      }
      // Integer nanos are summed exactly; the float conversion happens once, at the edge, for display.
      for (const [key, nanos] of sums) this.set({ key }, Number(nanos) / 1e9);
    },
  });
  const budget = new Gauge({
    name: 'switchyard_budget_used_ratio',
    help: 'Budget used / limit per period, per virtual key id when per-key labels are on, else key="_all" (max).',
    labelNames: ['key', 'period'] as const,
    registers,
    async collect() {
      const snap = await read();
      if (!snap) return;
      this.reset();
      const worst = new Map<string, { key: string; period: string; ratio: number }>();
      for (const k of snap.keys) {
        const key = keyLabel ? keyLabel(k.keyId) : '_all';
        for (const b of k.budgets ?? []) {
          const id = `${key}\u0000${b.period}`;
          const prev = worst.get(id);
          if (!prev || b.usedRatio > prev.ratio) worst.set(id, { key, period: b.period, ratio: b.usedRatio });
        }
      }
      for (const w of worst.values()) this.set({ key: w.key, period: w.period }, w.ratio);
    },
  });
  const reservations = new Gauge({
    name: 'switchyard_reservations_open',
    help: 'Credit/budget reservations admitted and not yet settled or released.',
    registers,
    async collect() {
      const snap = await read();
      if (snap?.reservationsOpen !== undefined) this.set(snap.reservationsOpen);
    },
  });
  const quarantined = new Gauge({
    name: 'switchyard_ledger_quarantined_rows',
    help: 'Settled calls this process could not write to the ledger (kept in ledger_quarantine; see ledger verify).',
    registers,
    async collect() {
      const snap = await read();
      if (snap?.ledgerQuarantined !== undefined) this.set(snap.ledgerQuarantined);
    },
  });
  return { credits, budget, reservations, quarantined, teams };
}

/** One read of the accounts callback shared by the gauges collected in the same scrape. */
function sharedRead<T>(fn: (() => T | Promise<T>) | undefined): () => Promise<T | undefined> {
  let pending: Promise<T | undefined> | undefined;
  return () => {
    if (!fn) return Promise.resolve(undefined);
    pending ??= Promise.resolve()
      .then(fn)
      .catch(() => undefined) // a failing store must not break the scrape
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
