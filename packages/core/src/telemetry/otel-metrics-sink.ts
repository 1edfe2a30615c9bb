import { type MeterProvider, metrics } from '@opentelemetry/api';
import { nanosToUsdNumber } from '../money.js';
import type { CallRecord } from '../types.js';
import { createMetricAttributeCache } from './metric-attribute-cache.js';
import type { CallSink } from './record-call.js';
import { DURATION_BUCKETS, METRIC, TOKEN_BUCKETS } from './semconv.js';

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
  const attrs = createMetricAttributeCache(opts.extraAttributes ?? []);

  return (r: CallRecord) => {
    const sets = attrs.setsFor(r);
    duration.record(r.durationMs / 1000, attrs.durationAttributes(r, sets));
    // Semconv: report token counts only when the provider gave them (never guesses).
    if (r.usage?.source === 'provider') {
      tokens.record(r.usage.inputTokens, sets.input);
      tokens.record(r.usage.outputTokens, sets.output);
    }
    if (r.timeToFirstTokenMs !== undefined) ttfc.record(r.timeToFirstTokenMs / 1000, sets.base);
    if (r.cost) cost.add(nanosToUsdNumber(r.cost.totalNanos), sets.base);
    if (r.unknownPrice) unknown.add(1, sets.base);
  };
}
