// Per-attempt CallRecords → core's sinks: GenAI metrics + cost counter on our registry, CLIENT spans when tracing.
import type { TracerProvider } from '@opentelemetry/api';
import type { CallRecord } from '@switchyard/core';
import type { Registry } from 'prom-client';
import { interimPrometheusSink, interimTracingSink } from './interim-core-sinks.js';

export type RecordSink = (record: CallRecord) => void;

/** `key` is the attribute core's sink turns into the per-key cost label (only when per-key labels are on). */
export const KEY_ATTRIBUTE = 'key';

export function createRecordSinks(
  registry: Registry,
  opts: { perKeyLabels: boolean; tracerProvider?: TracerProvider },
) {
  const metrics = interimPrometheusSink(registry, { extraLabels: opts.perKeyLabels ? [KEY_ATTRIBUTE] : [] });
  const spans = opts.tracerProvider ? interimTracingSink(opts.tracerProvider) : undefined;
  return { metrics, spans };
}
