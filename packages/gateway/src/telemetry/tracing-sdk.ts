// The OTel SDK half of gateway tracing (see tracing.ts): imported only when tracing is on.
import { type Context, context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { StackContextManager } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { callSpan, TRACING_SCOPE } from '@switchyard/core';
import { EncodingSpanProcessor } from './encoding-span-processor.js';
import { LeanTracerProvider, spanLimitsFromEnv } from './lean-tracer.js';
import {
  batchConfigOf,
  type Env,
  type GatewayTracing,
  type Headers,
  protocolOf,
  type SpanLoss,
  sampleRatioOf,
  type TracingConfig,
  tracesUrl,
} from './tracing.js';

const MAX_OPEN_REQUESTS = 10_000;

/** Starts the SDK: global context manager, propagator, tracer provider. */
export function startTracingSdk(cfg: TracingConfig, env: Env, onSpanLoss?: (loss: SpanLoss) => void): GatewayTracing {
  // Spans are encoded as they end and sent in batches (ADR 0018). Without an explicit url the export reads the
  // standard OTEL_EXPORTER_OTLP_* variables itself.
  const processor = new EncodingSpanProcessor({
    protocol: protocolOf(cfg, env),
    ...(cfg.endpoint && { url: tracesUrl(cfg.endpoint) }),
    ...batchConfigOf(cfg, env),
    onDropped: (count) => onSpanLoss?.({ reason: 'queue_full', count }),
    onExportFailed: (count, message) => onSpanLoss?.({ reason: 'export_failed', count, message }),
  });
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: cfg.serviceName ?? env.OTEL_SERVICE_NAME ?? 'switchyard',
  });
  // NodeSDK sets up the process-wide parts (context manager, propagators from OTEL_PROPAGATORS); with no span
  // processor of its own it registers no tracer provider, and the gateway's lean one takes that place (ADR 0018).
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    // Synchronous by default: AsyncLocalStorage's promise hooks (Node 20) cost every request ~0.4 µs per promise,
    // and the gateway passes its spans' contexts explicitly (ADR 0013).
    contextManager: cfg.asyncContext ? new AsyncLocalStorageContextManager() : new StackContextManager(),
    spanProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  const tracerProvider = new LeanTracerProvider({
    resource,
    sampleRatio: sampleRatioOf(cfg, env),
    processor,
    limits: spanLimitsFromEnv(env),
  });
  trace.setGlobalTracerProvider(tracerProvider);
  const tracer = tracerProvider.getTracer('@switchyard/gateway');
  // Attempt records become core's CLIENT spans, written from the record once the attempt is over (ADR 0019).
  const callTracer = tracerProvider.leanTracer(TRACING_SCOPE);
  const requests = new Map<string, Context>();
  // SERVER span contexts of the requests in flight, by their headers object: the pipeline announces a request
  // with the same object, possibly after an `await` (where a synchronous context manager has lost the span).
  const open = new WeakMap<object, Context>();
  // The headers the registered propagators read (traceparent, tracestate, baggage by default): a request with none
  // of them starts a new trace without running the propagators.
  const fields = propagation.fields();
  const carriesContext = (headers: Headers) => fields.some((f) => headers[f] !== undefined);

  return {
    tracerProvider,
    clientSpans: (record, ctx) => callTracer.recordFinished(ctx ?? context.active(), record, callSpan),
    async withServerSpan(headers, fn, info = {}) {
      const parent = carriesContext(headers) ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
      const method = info.method ?? 'POST';
      const span = tracer.startSpan(
        info.route ? `${method} ${info.route}` : method,
        {
          kind: SpanKind.SERVER,
          attributes: info.route
            ? { 'http.request.method': method, 'http.route': info.route }
            : { 'http.request.method': method },
        },
        parent,
      );
      const ctx = trace.setSpan(parent, span);
      open.set(headers, ctx);
      try {
        return await context.with(ctx, fn, undefined, span);
      } catch (err) {
        span.recordException(err instanceof Error ? err : String(err));
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        open.delete(headers);
        span.end();
      }
    },
    contextOf: (requestId) => requests.get(requestId),
    bind(requestId, headers) {
      // A request the pipeline never finished must not pin memory forever: drop the oldest past the bound.
      if (requests.size >= MAX_OPEN_REQUESTS) requests.delete(requests.keys().next().value ?? '');
      requests.set(requestId, (headers && open.get(headers)) ?? context.active());
    },
    unbind(requestId) {
      requests.delete(requestId);
    },
    async shutdown() {
      requests.clear();
      await tracerProvider.shutdown();
      await sdk.shutdown();
      // Release the globals so a later start (tests, config reload) can register again.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
