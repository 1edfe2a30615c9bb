// Gateway tracing: @opentelemetry/sdk-node configured here (never by core). One SERVER span per client request
// continuing a W3C `traceparent`; upstream attempts become CLIENT children through `runInRequest`.
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface TracingConfig {
  /** Default: on when `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set. */
  enabled?: boolean;
  /** OTLP/HTTP base URL (like `OTEL_EXPORTER_OTLP_ENDPOINT`); `/v1/traces` is appended. Default: from env. */
  endpoint?: string;
  /** Share of new traces kept (0..1); a sampled parent is always followed. Default `OTEL_TRACES_SAMPLER_ARG` or 1. */
  sampleRatio?: number;
  serviceName?: string;
}

export type Headers = Record<string, string | string[] | undefined>;

export interface ServerSpanInfo {
  method?: string;
  /** Low-cardinality route template, e.g. `/v1/chat/completions`. */
  route?: string;
}

export interface GatewayTracing {
  tracerProvider: TracerProvider;
  withServerSpan<T>(headers: Headers, fn: (span: Span) => Promise<T>, info?: ServerSpanInfo): Promise<T>;
  /** Context of a request's SERVER span, captured when the pipeline announced the request. */
  contextOf(requestId: string): Context | undefined;
  bind(requestId: string): void;
  unbind(requestId: string): void;
  shutdown(): Promise<void>;
}

const MAX_OPEN_REQUESTS = 10_000;

type Env = Record<string, string | undefined>;

export function tracingEnabled(cfg: TracingConfig, env: Env): boolean {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return cfg.enabled ?? Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export function sampleRatioOf(cfg: TracingConfig, env: Env): number {
  const raw = cfg.sampleRatio ?? Number(env.OTEL_TRACES_SAMPLER_ARG ?? 1);
  return Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 1;
}

function tracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}

/** Starts the SDK (global context manager, propagator, tracer provider) or returns undefined when tracing is off. */
export function startTracing(cfg: TracingConfig, env: Env = process.env): GatewayTracing | undefined {
  if (!tracingEnabled(cfg, env)) return undefined;
  // Without an explicit url the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
  const exporter = new OTLPTraceExporter(cfg.endpoint ? { url: tracesUrl(cfg.endpoint) } : {});
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: cfg.serviceName ?? env.OTEL_SERVICE_NAME ?? 'switchyard' }),
    autoDetectResources: false,
    spanProcessors: [new BatchSpanProcessor(exporter)],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampleRatioOf(cfg, env)) }),
    instrumentations: [],
  });
  sdk.start();
  const tracerProvider = trace.getTracerProvider();
  const tracer = tracerProvider.getTracer('@switchyard/gateway');
  const requests = new Map<string, Context>();

  return {
    tracerProvider,
    async withServerSpan(headers, fn, info = {}) {
      const parent = propagation.extract(ROOT_CONTEXT, headers);
      const method = info.method ?? 'POST';
      const span = tracer.startSpan(
        info.route ? `${method} ${info.route}` : method,
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': method, ...(info.route ? { 'http.route': info.route } : {}) },
        },
        parent,
      );
      try {
        return await context.with(trace.setSpan(parent, span), () => fn(span));
      } catch (err) {
        span.recordException(err instanceof Error ? err : String(err));
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        span.end();
      }
    },
    contextOf: (requestId) => requests.get(requestId),
    bind(requestId) {
      // A request the pipeline never finished must not pin memory forever: drop the oldest past the bound.
      if (requests.size >= MAX_OPEN_REQUESTS) requests.delete(requests.keys().next().value ?? '');
      requests.set(requestId, context.active());
    },
    unbind(requestId) {
      requests.delete(requestId);
    },
    async shutdown() {
      requests.clear();
      await sdk.shutdown();
      // Release the globals so a later start (tests, config reload) can register again.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
