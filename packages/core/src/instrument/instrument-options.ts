import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import type { PriceLogger } from '../prices/price-call.js';
import type { PriceSource } from '../prices/price-types.js';
import { createOtelMetricsSink } from '../telemetry/otel-metrics-sink.js';
import type { CallSink } from '../telemetry/record-call.js';
import { createTracingSink } from '../telemetry/tracing-sink.js';
import type { CallRecord } from '../types.js';

export interface InstrumentOptions {
  /** Default: the global OTel tracer provider. */
  tracerProvider?: TracerProvider;
  /** Default: the global OTel meter provider. */
  meterProvider?: MeterProvider;
  /** Default: the bundled `@pydantic/genai-prices` catalog. */
  priceSource?: PriceSource;
  /** Added to every record (e.g. `{ tenant: 'acme' }`); keep values low-cardinality. */
  attributes?: Record<string, string | number | boolean>;
  /** Record prompts and completions on spans. Default false: content is sensitive. */
  captureContent?: boolean;
  /** Called with every finished record (after the sinks). */
  onRecord?: (record: CallRecord) => void;
  /** Replace the default sinks (OTel tracing + OTel metrics), e.g. with a Prometheus sink. */
  sinks?: CallSink[];
  /** OpenAI chat streams: add `stream_options.include_usage` so usage is exact (the extra chunk is hidden). */
  includeUsage?: boolean;
  /** Where the one-per-model "unknown price" line goes. Default console.warn. */
  priceLogger?: PriceLogger;
}

/** Built once per instrument() call: no per-request setup. */
export interface ResolvedOptions {
  sinks: CallSink[];
  priceSource: PriceSource | undefined;
  priceLogger: PriceLogger | undefined;
  attributes: Record<string, string | number | boolean> | undefined;
  captureContent: boolean;
  includeUsage: boolean;
}

export function resolveOptions(o: InstrumentOptions = {}): ResolvedOptions {
  const sinks = o.sinks ? [...o.sinks] : [createTracingSink(o.tracerProvider), createOtelMetricsSink(o.meterProvider)];
  if (o.onRecord) {
    const onRecord = o.onRecord;
    sinks.push((r) => onRecord(r));
  }
  return {
    sinks,
    priceSource: o.priceSource,
    priceLogger: o.priceLogger,
    attributes: o.attributes,
    captureContent: o.captureContent ?? false,
    includeUsage: o.includeUsage ?? false,
  };
}
