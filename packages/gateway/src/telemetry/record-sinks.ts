// Per-attempt CallRecords → core's metrics sink: GenAI metrics + cost counter on our registry. (CLIENT spans come
// from the tracing half, tracing-sdk.ts.)
import { type CallSink, createPrometheusSink } from '@switchyard/core';
import type { Registry } from 'prom-client';
import * as promClient from 'prom-client';

export type RecordSink = CallSink;

/** `key` is the attribute core's sink turns into the per-key cost label (only when per-key labels are on). */
export const KEY_ATTRIBUTE = 'key';

export function createRecordSinks(registry: Registry, opts: { perKeyLabels: boolean; maxLabelValues: number }) {
  const metrics = createPrometheusSink(registry, {
    promClient,
    extraLabels: opts.perKeyLabels ? [KEY_ATTRIBUTE] : [],
    maxLabelValues: opts.maxLabelValues,
  });
  return { metrics };
}
