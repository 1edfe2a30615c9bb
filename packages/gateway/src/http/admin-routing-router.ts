// Routing state for operators, beside the accounts admin API and behind the same admin token:
//   GET /admin/v1/breakers  every circuit breaker the executor tracks
//   GET /admin/v1/routes    each configured route with its targets' breaker state, first-byte latency and
//                           `rate_limited_until` (set by a 429 with Retry-After; routing skips it until then)
//   GET /admin/v1/rate-limits  every target currently rate-limited
// Accounts stays unaware of routing: this router only borrows accounts' constant-time token check.
import express, { type Router } from 'express';
import { adminAuth } from '../accounts/index.js';
import type { BreakerSnapshot, LatencyStat } from '../routing/index.js';
import type { RateLimitSnapshot } from '../routing/rate-limits.js';

export interface RoutingStateSource {
  breakerStates(): BreakerSnapshot[];
  latencyStats(): LatencyStat[];
  rateLimitStates?(): RateLimitSnapshot[];
}

/** A configured route as the admin API shows it (name, strategy, target ids in config order). */
export interface RouteSummary {
  name: string;
  strategy: string;
  targets: string[];
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const ms = (n: number) => Math.round(n * 1000) / 1000;

export function breakerView(b: BreakerSnapshot) {
  return {
    target: b.targetId,
    state: b.state,
    consecutive_failures: b.consecutiveFailures,
    window_requests: b.windowRequests,
    window_failures: b.windowFailures,
    opened_at: iso(b.openedAt),
  };
}

function latencyView(l: LatencyStat | undefined) {
  if (!l) return null;
  return {
    ewma_ms: ms(l.ewmaMs),
    p50_ms: ms(l.p50Ms),
    p95_ms: ms(l.p95Ms),
    samples: l.samples,
    last_sample_at: iso(l.lastSampleAt),
  };
}

export function routesView(routes: RouteSummary[], source: RoutingStateSource) {
  const breakers = new Map(source.breakerStates().map((b) => [b.targetId, b]));
  const latency = new Map(source.latencyStats().map((l) => [l.targetId, l]));
  const limited = new Map((source.rateLimitStates?.() ?? []).map((l) => [l.targetId, l.until]));
  return routes.map((r) => ({
    route: r.name,
    strategy: r.strategy,
    targets: r.targets.map((target) => ({
      target,
      // A target no request has reached yet has no breaker entry: it is closed.
      breaker_state: breakers.get(target)?.state ?? 'closed',
      latency: latencyView(latency.get(target)),
      rate_limited_until: iso(limited.get(target)),
    })),
  }));
}

/** Undefined (admin API off) without a token, like the accounts admin router. */
export function createRoutingAdminRouter(
  source: RoutingStateSource,
  routes: () => RouteSummary[],
  token: string | undefined,
): Router | undefined {
  if (!token) return undefined;
  const auth = adminAuth(token);
  const r = express.Router();
  // Auth per route, so other /admin paths fall through to the accounts router (which checks the token itself).
  r.get('/v1/breakers', auth, (_req, res) => {
    res.json({ object: 'list', data: source.breakerStates().map(breakerView) });
  });
  r.get('/v1/rate-limits', auth, (_req, res) => {
    const data = (source.rateLimitStates?.() ?? []).map((l) => ({ target: l.targetId, until: iso(l.until) }));
    res.json({ object: 'list', data });
  });
  r.get('/v1/routes', auth, (_req, res) => {
    res.json({ object: 'list', data: routesView(routes(), source) });
  });
  return r;
}
