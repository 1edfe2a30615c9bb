// The OTel SDK half of gateway tracing (see tracing.ts): imported only when tracing is on.
import { type Context, context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { type Env, type GatewayTracing, sampleRatioOf, type TracingConfig, tracesUrl } from './tracing.js';

const MAX_OPEN_REQUESTS = 10_000;

/** Starts the SDK: global context manager, propagator, tracer provider. */
export function startTracingSdk(cfg: TracingConfig, env: Env): GatewayTracing {
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
