// Per-attempt CallRecords → core's sinks: GenAI metrics + cost counter on our registry, CLIENT spans when tracing.
import type { TracerProvider } from '@opentelemetry/api';
import { type CallSink, createPrometheusSink, createTracingSink } from '@switchyard/core';
import type { Registry } from 'prom-client';
import * as promClient from 'prom-client';

export type RecordSink = CallSink;

/** `key` is the attribute core's sink turns into the per-key cost label (only when per-key labels are on). */
export const KEY_ATTRIBUTE = 'key';

export function createRecordSinks(
  registry: Registry,
  opts: { perKeyLabels: boolean; maxLabelValues: number; tracerProvider?: TracerProvider },
) {
  const metrics = createPrometheusSink(registry, {
    promClient,
    extraLabels: opts.perKeyLabels ? [KEY_ATTRIBUTE] : [],
    maxLabelValues: opts.maxLabelValues,
  });
  // The gateway's sampler is ratio / parent based and ignores attributes: skip the SDK's two extra copies of them.
  const spans = opts.tracerProvider
    ? createTracingSink(opts.tracerProvider, { samplerSeesAttributes: false })
    : undefined;
  return { metrics, spans };
}
