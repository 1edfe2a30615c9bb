// One call wires the gateway's telemetry: a prom-client registry (Node defaults + ours + core's GenAI families),
// the GatewayObserver the pipeline calls, a GET /metrics handler, and optional OTLP tracing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span, TracerProvider } from '@opentelemetry/api';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { GatewayObserver } from '../pipeline/seams.js';
import { createGatewayMetrics } from './gateway-metrics.js';
import { createGatewayObserver } from './gateway-observer.js';
import type { TelemetryHooks } from './hooks.js';
import { createLabelCap, createRouteLabels } from './label-cap.js';
import { createRecordSinks } from './record-sinks.js';
import { createSpanLossReporter } from './span-loss.js';
import { type Headers, loadTracing, type ServerSpanInfo, type TracingConfig } from './tracing.js';

export interface TelemetryConfig {
  metrics?: {
    /** Label credits, budgets and cost by virtual key id. Off by default (cardinality). */
    perKeyLabels?: boolean;
    /** Distinct key ids labelled before the rest collapse into `other`. Default 50. */
    maxKeys?: number;
    /** Distinct team ids labelled on team gauges before the rest collapse into `other`. Default 50. */
    maxTeams?: number;
    /** Distinct models / targets labelled before the rest collapse into `other`. Default 200. */
    maxModels?: number;
    /** Configured route names (aliases and `<providerId>/<model>` targets); anything else is `other`. */
    routes?: string[];
    /** Node process metrics (`process_*`, `nodejs_*`). Default true. */
    defaultMetrics?: boolean;
  };
  tracing?: TracingConfig;
}

export interface Telemetry {
  observer: GatewayObserver;
  registry: Registry;
  /** GET /metrics in Prometheus text format; mount on any node:http or Express app. */
  metricsHandler(req: IncomingMessage, res: ServerResponse): void;
  /** Present when tracing is on; hand it to anything that should emit spans into the same pipeline. */
  tracerProvider?: TracerProvider;
  /** Runs `fn` inside a SERVER span continuing the client's `traceparent`; plain call when tracing is off. */
  withServerSpan<T>(headers: Headers, fn: (span?: Span) => Promise<T>, info?: ServerSpanInfo): Promise<T>;
  /** Config hot reload: replace the table of route names allowed as `route` label values. */
  setRoutes(routes: Iterable<string>): void;
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

/** Async because the OTel SDK is imported only when tracing is on. */
export async function createTelemetry(config: TelemetryConfig = {}, hooks: TelemetryHooks = {}): Promise<Telemetry> {
  const mc = config.metrics ?? {};
  const perKeyLabels = mc.perKeyLabels ?? false;
  const maxKeys = mc.maxKeys ?? 50;
  const registry = new Registry();
  if (mc.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const metrics = createGatewayMetrics(registry, hooks, {
    perKeyLabels,
    maxKeys,
    ...(mc.maxTeams !== undefined && { maxTeams: mc.maxTeams }),
  });
  const tracing = await loadTracing(config.tracing ?? {}, process.env, () =>
    createSpanLossReporter(registry, hooks.onSpansDropped),
  );
  const routes = createRouteLabels(mc.routes ?? []);
  const maxModels = mc.maxModels ?? 200;
  const observer = createGatewayObserver({
    metrics,
    routes,
    models: createLabelCap(maxModels),
    targets: createLabelCap(maxModels),
    keys: perKeyLabels ? createLabelCap(maxKeys) : undefined,
    sinks: createRecordSinks(registry, {
      perKeyLabels,
      maxLabelValues: maxModels,
    }),
    tracing,
  });

  return {
    observer,
    registry,
    metricsHandler(_req, res) {
      registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        },
        () => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('metrics collection failed\n');
        },
      );
    },
    tracerProvider: tracing?.tracerProvider,
    withServerSpan: (headers, fn, info) => (tracing ? tracing.withServerSpan(headers, fn, info) : fn(undefined)),
    setRoutes: (names) => routes.set(names),
    shutdown: async () => {
      await tracing?.shutdown();
    },
  };
}
