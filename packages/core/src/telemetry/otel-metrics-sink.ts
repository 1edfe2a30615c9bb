import { type Attributes, type MeterProvider, metrics } from '@opentelemetry/api';
import { nanosToUsdNumber } from '../money.js';
import type { CallRecord } from '../types.js';
import type { CallSink } from './record-call.js';
import { ATTR, DURATION_BUCKETS, METRIC, operationName, providerName, TOKEN_BUCKETS } from './semconv.js';

export interface OtelMetricsSinkOptions {
  /** Keys of `record.attributes` to add to every data point (keep them low-cardinality). */
  extraAttributes?: readonly string[];
}

/**
 * GenAI semconv client metrics from records: operation duration (s), token usage ({token}, input/output),
 * time to first chunk (s, streams), plus the custom `gen_ai.client.cost` counter (USD) and
 * `switchyard.unknown_price.calls`.
 */
export function createOtelMetricsSink(meterProvider?: MeterProvider, opts: OtelMetricsSinkOptions = {}): CallSink {
  const meter = (meterProvider ?? metrics.getMeterProvider()).getMeter('@switchyard/core');
  const duration = meter.createHistogram(METRIC.OPERATION_DURATION, {
    unit: 's',
    description: 'GenAI operation duration.',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  const tokens = meter.createHistogram(METRIC.TOKEN_USAGE, {
    unit: '{token}',
    description: 'Number of input and output tokens used.',
    advice: { explicitBucketBoundaries: [...TOKEN_BUCKETS] },
  });
  const ttfc = meter.createHistogram(METRIC.TIME_TO_FIRST_CHUNK, {
    unit: 's',
    description: 'Time from request to the first streamed chunk.',
    advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
  });
  const cost = meter.createCounter(METRIC.COST, {
    unit: 'USD',
    description: 'Cost of GenAI calls in USD (Switchyard, not semconv).',
  });
  const unknown = meter.createCounter(METRIC.UNKNOWN_PRICE_CALLS, {
    unit: '{call}',
    description: 'Calls whose model had no known price.',
  });
  const extra = opts.extraAttributes ?? [];

  return (r: CallRecord) => {
    const base: Attributes = {
      [ATTR.OPERATION_NAME]: operationName(r),
      [ATTR.PROVIDER_NAME]: providerName(r.provider, r.providerId),
      [ATTR.REQUEST_MODEL]: r.requestModel,
    };
    if (r.responseModel) base[ATTR.RESPONSE_MODEL] = r.responseModel;
    if (r.serverAddress) base[ATTR.SERVER_ADDRESS] = r.serverAddress;
    if (r.serverPort !== undefined) base[ATTR.SERVER_PORT] = r.serverPort;
    for (const k of extra) {
      const v = r.attributes?.[k];
      if (v !== undefined) base[k] = v;
    }
    duration.record(r.durationMs / 1000, r.error ? { ...base, [ATTR.ERROR_TYPE]: r.error.errorClass } : base);
    // Semconv: report token counts only when the provider gave them (never guesses).
    if (r.usage?.source === 'provider') {
      tokens.record(r.usage.inputTokens, { ...base, [ATTR.TOKEN_TYPE]: 'input' });
      tokens.record(r.usage.outputTokens, { ...base, [ATTR.TOKEN_TYPE]: 'output' });
    }
    if (r.timeToFirstTokenMs !== undefined) ttfc.record(r.timeToFirstTokenMs / 1000, base);
    if (r.cost) cost.add(nanosToUsdNumber(r.cost.totalNanos), base);
    if (r.unknownPrice) unknown.add(1, base);
  };
}
