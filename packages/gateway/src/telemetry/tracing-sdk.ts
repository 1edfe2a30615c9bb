// The OTel SDK half of gateway tracing (see tracing.ts): imported only when tracing is on.
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
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
const SERVER = { kind: SpanKind.SERVER };

/** The key `trace.getSpan` reads a context's span under, learnt once through the API's Context interface. */
const SPAN_KEY: symbol = (() => {
  let key: symbol | undefined;
  const probe: Context = {
    getValue: (k) => {
      key = k;
      return undefined;
    },
    setValue: () => probe,
    deleteValue: () => probe,
  };
  trace.getSpan(probe);
  if (!key) throw new Error('the OpenTelemetry API read no span key');
  return key;
})();

/**
 * `trace.setSpan(parent, span)` for a request's SERVER span without its copy of the parent's Map and three closures:
 * the context lives as long as the request, so what it holds is copied by every scavenge in between. Reads see the
 * span, then the parent; a write makes the API's own context first.
 */
class ServerSpanContext implements Context {
  constructor(
    private readonly parent: Context,
    private readonly span: Span,
  ) {}
  getValue(key: symbol): unknown {
    return key === SPAN_KEY ? this.span : this.parent.getValue(key);
  }
  setValue(key: symbol, value: unknown): Context {
    return trace.setSpan(this.parent, this.span).setValue(key, value);
  }
  deleteValue(key: symbol): Context {
    return trace.setSpan(this.parent, this.span).deleteValue(key);
  }
}

/** `${method} ${route}` span names, made once per pair (a request path has a handful). */
const spanNames = new Map<string, Map<string, string>>();
function spanName(method: string, route: string | undefined): string {
  if (!route) return method;
  let byRoute = spanNames.get(method);
  if (!byRoute) {
    byRoute = new Map();
    spanNames.set(method, byRoute);
  }
  let name = byRoute.get(route);
  if (name === undefined) {
    name = `${method} ${route}`;
    if (byRoute.size < 256) byRoute.set(route, name);
  }
  return name;
}

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
  // with the same object, possibly after an `await` (where a synchronous context manager has lost the span). A Map,
  // not a WeakMap: every entry is deleted when its span ends, and a WeakMap's entries are ephemerons the garbage
  // collector has to trace specially.
  const open = new Map<object, Context>();
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
      const span = tracer.startSpan(spanName(method, info.route), SERVER, parent);
      span.setAttribute('http.request.method', method);
      if (info.route) span.setAttribute('http.route', info.route);
      const ctx = new ServerSpanContext(parent, span);
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
