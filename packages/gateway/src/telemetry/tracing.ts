// Gateway tracing: @opentelemetry/sdk-node configured here (never by core). One SERVER span per client request
// continuing a W3C `traceparent`; upstream attempts become CLIENT children of it, found by request id (the request's
// span context travels with the request, not through async context: docs/decisions/0013-lean-tracing.md).
// The SDK itself lives in `tracing-sdk.ts` and is imported only when tracing is on: it is the largest module graph
// the gateway has, and loading it cost seconds of every start-up without an OTLP endpoint.
import type { Context, Span, TracerProvider } from '@opentelemetry/api';
import type { CallSink } from '@switchyard/core';

export interface TracingConfig {
  /** Default: on when `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set. */
  enabled?: boolean;
  /** OTLP/HTTP base URL (like `OTEL_EXPORTER_OTLP_ENDPOINT`); `/v1/traces` is appended. Default: from env. */
  endpoint?: string;
  /** Share of new traces kept (0..1); a sampled parent is always followed. Default `OTEL_TRACES_SAMPLER_ARG` or 1. */
  sampleRatio?: number;
  serviceName?: string;
  /**
   * OTLP/HTTP encoding. Default `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL` when one of
   * them names an HTTP encoding, else `http/protobuf` (the OTLP default; cheaper to encode than JSON).
   */
  protocol?: OtlpHttpProtocol;
  /**
   * Register OTel's AsyncLocalStorage context manager, so code of your own running in the gateway's process sees
   * the request's span as active across `await`s. Default false: its promise hooks cost every request CPU, and the
   * gateway's own spans do not need it (a synchronous context manager is registered instead).
   */
  asyncContext?: boolean;
  /**
   * Export batching (the OTel batch processor's settings). Defaults: `OTEL_BSP_*` variables, else queue 8192 spans,
   * batches of 512, 5000 ms delay, 30000 ms export timeout. Spans past a full queue are dropped and counted.
   */
  batch?: TracingBatchConfig;
}

export interface TracingBatchConfig {
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
}

/** Spans that never reached the receiver: the queue was full, or the export failed or timed out. */
export interface SpanLoss {
  reason: 'queue_full' | 'export_failed';
  count: number;
  message?: string;
}

export const OTLP_HTTP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpHttpProtocol = (typeof OTLP_HTTP_PROTOCOLS)[number];

export type Headers = Record<string, string | string[] | undefined>;

export interface ServerSpanInfo {
  method?: string;
  /** Low-cardinality route template, e.g. `/v1/chat/completions`. */
  route?: string;
}

export interface GatewayTracing {
  tracerProvider: TracerProvider;
  /** Writes each attempt's record as a CLIENT span under `context` (core's span for it, ADR 0019). */
  clientSpans: CallSink;
  withServerSpan<T>(headers: Headers, fn: (span: Span) => Promise<T>, info?: ServerSpanInfo): Promise<T>;
  /** Context of a request's SERVER span, captured when the pipeline announced the request. */
  contextOf(requestId: string): Context | undefined;
  /**
   * Links a request id to its SERVER span: the span opened by `withServerSpan` for this `headers` object when
   * given (the request's own headers), else the active context.
   */
  bind(requestId: string, headers?: object): void;
  unbind(requestId: string): void;
  shutdown(): Promise<void>;
}

export type Env = Record<string, string | undefined>;

export function tracingEnabled(cfg: TracingConfig, env: Env): boolean {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return cfg.enabled ?? Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export function sampleRatioOf(cfg: TracingConfig, env: Env): number {
  const raw = cfg.sampleRatio ?? Number(env.OTEL_TRACES_SAMPLER_ARG ?? 1);
  return Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 1;
}

export function protocolOf(cfg: TracingConfig, env: Env): OtlpHttpProtocol {
  if (cfg.protocol) return cfg.protocol;
  const fromEnv = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL;
  return fromEnv === 'http/json' ? 'http/json' : 'http/protobuf';
}

const BATCH_DEFAULTS: Required<TracingBatchConfig> = {
  // The SDK's default is 2048: ~0.3 s of spans at 3,000 requests/s (two spans each), dropped whole when one export
  // is slow. 8192 spans of plain data are a few MB.
  maxQueueSize: 8192,
  maxExportBatchSize: 512,
  scheduledDelayMillis: 5000,
  exportTimeoutMillis: 30_000,
};

const BATCH_ENV: Record<keyof TracingBatchConfig, string> = {
  maxQueueSize: 'OTEL_BSP_MAX_QUEUE_SIZE',
  maxExportBatchSize: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  scheduledDelayMillis: 'OTEL_BSP_SCHEDULE_DELAY',
  exportTimeoutMillis: 'OTEL_BSP_EXPORT_TIMEOUT',
};

/** Config, else the standard `OTEL_BSP_*` variable, else the default; the batch never exceeds the queue. */
export function batchConfigOf(cfg: TracingConfig, env: Env): Required<TracingBatchConfig> {
  const out = { ...BATCH_DEFAULTS };
  for (const key of Object.keys(BATCH_DEFAULTS) as Array<keyof TracingBatchConfig>) {
    const raw = cfg.batch?.[key] ?? Number(env[BATCH_ENV[key]] ?? Number.NaN);
    if (Number.isFinite(raw) && raw > 0) out[key] = Math.floor(raw);
  }
  out.maxExportBatchSize = Math.min(out.maxExportBatchSize, out.maxQueueSize);
  return out;
}

export function tracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, '');
  return base.endsWith('/v1/traces') ? base : `${base}/v1/traces`;
}

/**
 * Starts tracing (loading the SDK) or resolves to undefined when tracing is off. `spanLoss` builds the loss
 * reporter, only when tracing is on (its metric exists only then).
 */
export async function loadTracing(
  cfg: TracingConfig,
  env: Env = process.env,
  spanLoss?: () => (loss: SpanLoss) => void,
): Promise<GatewayTracing | undefined> {
  if (!tracingEnabled(cfg, env)) return undefined;
  const { startTracingSdk } = await import('./tracing-sdk.js');
  return startTracingSdk(cfg, env, spanLoss?.());
}
