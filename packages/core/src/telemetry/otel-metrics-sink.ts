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
  const attrs = createMetricAttributeCache(opts.extraAttributes ?? []);
  // Without a provider given, the global one is looked up per record, and the instruments remade when it changed:
  // the metrics API has no proxy provider (spans do), so instruments made from the no-op global that a module-scope
  // `instrument(new OpenAI())` sees — ESM runs an app's imports before its `sdk.start()` — would record nothing for
  // the life of the process.
  let provider = meterProvider ?? metrics.getMeterProvider();
  let inst = instrumentsOf(provider);

  return (r: CallRecord) => {
    if (!meterProvider && metrics.getMeterProvider() !== provider) {
      provider = metrics.getMeterProvider();
      inst = instrumentsOf(provider);
    }
    const sets = attrs.setsFor(r);
    inst.duration.record(r.durationMs / 1000, attrs.durationAttributes(r, sets));
    // Semconv: report token counts only when the provider gave them (never guesses).
    if (r.usage?.source === 'provider') {
      inst.tokens.record(r.usage.inputTokens, sets.input);
      inst.tokens.record(r.usage.outputTokens, sets.output);
    }
    if (r.timeToFirstTokenMs !== undefined) inst.ttfc.record(r.timeToFirstTokenMs / 1000, sets.base);
    if (r.cost) inst.cost.add(nanosToUsdNumber(r.cost.totalNanos), sets.base);
    if (r.unknownPrice) inst.unknown.add(1, sets.base);
  };
}

function instrumentsOf(provider: MeterProvider) {
  const meter = provider.getMeter('@switchyard/core');
  return {
    duration: meter.createHistogram(METRIC.OPERATION_DURATION, {
      unit: 's',
      description: 'GenAI operation duration.',
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
    }),
    tokens: meter.createHistogram(METRIC.TOKEN_USAGE, {
      unit: '{token}',
      description: 'Number of input and output tokens used.',
      advice: { explicitBucketBoundaries: [...TOKEN_BUCKETS] },
    }),
    ttfc: meter.createHistogram(METRIC.TIME_TO_FIRST_CHUNK, {
      unit: 's',
      description: 'Time from request to the first streamed chunk.',
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS] },
    }),
    cost: meter.createCounter(METRIC.COST, {
      unit: 'USD',
      description: 'Cost of GenAI calls in USD (Switchyard, not semconv).',
    }),
    unknown: meter.createCounter(METRIC.UNKNOWN_PRICE_CALLS, {
      unit: '{call}',
      description: 'Calls whose model had no known price.',
    }),
  };
}
