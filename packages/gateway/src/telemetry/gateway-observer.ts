// GatewayObserver: the request path's telemetry hooks → prom-client families, core's record sinks, span events.
import { type Attributes, context, SpanStatusCode, trace } from '@opentelemetry/api';
import { type CallRecord, classFromStatus } from '@switchyard/core';
import { type AttemptLog, type GatewayObserver, NO_ROUTE } from '../pipeline/seams.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { histogramSeries } from './histogram-series.js';
import { type LabelCap, type RouteLabels, statusClass } from './label-cap.js';
import { KEY_ATTRIBUTE, type RecordSink } from './record-sinks.js';
import type { GatewayTracing } from './tracing.js';

export interface ObserverDeps {
  metrics: GatewayMetrics;
  routes: RouteLabels;
  models: LabelCap;
  targets: LabelCap;
  /** Present only when per-key labels are opted in. */
  keys?: LabelCap;
  sinks: { metrics: RecordSink };
  tracing?: GatewayTracing;
  onError?: (err: unknown) => void;
}

type Summary = Parameters<GatewayObserver['requestFinished']>[1];

export function createGatewayObserver(deps: ObserverDeps): GatewayObserver {
  const { metrics: m, tracing } = deps;
  const durationSeries = histogramSeries(m.requestDuration);
  const overheadSeries = histogramSeries(m.overhead);
  // Telemetry never throws into the request path.
  const safe =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      try {
        fn(...args);
      } catch (err) {
        deps.onError?.(err);
      }
    };

  return {
    requestStarted: safe((req, headers) => {
      m.inFlight.inc();
      tracing?.bind(req.requestId, headers);
    }),

    attemptFinished: safe((record, info) => {
      const provider = record.providerId ?? record.provider;
      const model = deps.models.label(record.requestModel);
      const errorClass = record.error?.errorClass ?? 'none';
      m.attempts.add(`${provider}\u0000${model}\u0000${info.kind}\u0000${record.outcome}\u0000${errorClass}`, () => ({
        provider,
        model,
        kind: info.kind,
        outcome: record.outcome,
        error_class: errorClass,
      }));
      const status = record.outcome === 'ok' ? '200' : record.error?.status ? String(record.error.status) : 'none';
      m.upstreamResponses.add(`${provider}\u0000${status}`, () => ({ provider, status_code: status }));
      // The attempt kind and key label are read only by the CLIENT span and the per-key cost label: without
      // either, the metrics sink takes the record as is (no copy of it per attempt).
      const labelled = tracing || deps.keys ? withAttemptAttributes(record, info.kind, deps.keys) : record;
      deps.sinks.metrics(labelled);
      if (!tracing) return;
      const parent = record.requestId ? tracing.contextOf(record.requestId) : undefined;
      tracing.clientSpans(labelled, parent ?? context.active());
    }),

    requestFinished: safe((req, s) => {
      m.inFlight.dec();
      const route = deps.routes.label(s.route);
      const sc = statusClass(s.status);
      // Refusals made by the gateway itself (auth, limits) may come without a class: derive it from the status.
      const errorClass = s.errorClass ?? (s.status >= 400 ? classFromStatus(s.status) : 'none');
      m.requests.add(`${route}\u0000${req.endpoint}\u0000${sc}\u0000${errorClass}`, () => ({
        route,
        endpoint: req.endpoint,
        status_class: sc,
        error_class: errorClass,
      }));
      // Refused before a plan (bad body, unknown model): counted above, but no latency worth a histogram sample.
      if (s.route !== NO_ROUTE) {
        durationSeries(`${route}\u0000${req.endpoint}\u0000${sc}`, () => ({
          route,
          endpoint: req.endpoint,
          status_class: sc,
        })).observe(s.durationMs / 1000);
        // Backoff sleeps are policy, not overhead: subtracted when the executor reports them (`waitMs`). A
        // retried request from an executor that does not report them is left out rather than shown as slow.
        if (s.waitMs !== undefined || !s.attempts.some((a) => a.kind === 'retry')) {
          const overheadMs = s.durationMs - s.upstreamMs - (s.waitMs ?? 0);
          overheadSeries(req.endpoint, () => ({ endpoint: req.endpoint })).observe(Math.max(0, overheadMs) / 1000);
        }
      }
      if (s.cache) {
        m.cacheRequests.inc({ route, endpoint: req.endpoint, result: s.cache });
        // Exact nanos → USD once, at the edge (as the cost counter does).
        if (s.cache === 'hit') m.costSaved.inc({ route, endpoint: req.endpoint }, Number(s.savedNanos ?? 0n) / 1e9);
      }
      for (const a of s.attempts) countAttempt(m, route, deps.targets.label(a.targetId), a);
      if (!tracing) return;
      const ctx = tracing.contextOf(req.requestId);
      tracing.unbind(req.requestId);
      const span = ctx && trace.getSpan(ctx);
      if (span) annotateServerSpan(span, s); // spans carry the raw route: cardinality is no concern there
    }),
  };
}

function countAttempt(m: GatewayMetrics, route: string, target: string, a: AttemptLog): void {
  if (a.kind === 'retry') m.retries.inc({ route, target });
  else if (a.kind === 'fallback') m.fallbacks.inc({ route, target });
  else if (a.kind === 'hedge') m.hedges.inc({ route, target, outcome: a.outcome });
  else if (a.kind === 'skipped') m.breakerSkips.inc({ route, target });
}

/** The attempt kind rides on the CLIENT span; the (capped) key id becomes core's per-key cost label. */
function withAttemptAttributes(record: CallRecord, kind: string, keys?: LabelCap): CallRecord {
  const attrs: Record<string, string | number | boolean> = { ...record.attributes, 'switchyard.attempt.kind': kind };
  const keyId = record.attributes?.keyId;
  if (keys) attrs[KEY_ATTRIBUTE] = typeof keyId === 'string' ? keys.label(keyId) : 'none';
  return { ...record, attributes: attrs };
}

type ServerSpan = NonNullable<ReturnType<typeof trace.getSpan>>;

function annotateServerSpan(span: ServerSpan, s: Summary): void {
  const attrs: Attributes = {
    'http.response.status_code': s.status,
    'switchyard.route': s.route,
    'switchyard.attempts': s.attempts.length,
  };
  if (s.cache) attrs['switchyard.cache'] = s.cache;
  if (s.errorClass) attrs['error.type'] = s.errorClass;
  span.setAttributes(attrs);
  // HTTP server semconv: only 5xx marks the server span as failed.
  if (s.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: s.errorClass ?? String(s.status) });
  for (const warning of s.warnings ?? []) span.addEvent('switchyard.translation_warning', { message: warning });
  for (const a of s.attempts) {
    const name = a.kind === 'skipped' ? 'switchyard.breaker_skip' : `switchyard.${a.kind}`;
    span.addEvent(name, {
      'switchyard.target': a.targetId,
      'switchyard.outcome': a.outcome,
      ...(a.error ? { 'error.type': a.error.errorClass } : {}),
      'switchyard.duration_ms': a.durationMs,
    });
  }
}
