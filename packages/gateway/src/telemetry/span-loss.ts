// Spans lost on the way to the OTLP receiver (full export queue, failed export) are counted on
// `switchyard_trace_spans_dropped_total{reason}` and reported to `warn` at most once per interval, with the count
// since the last report: a collector outage must be visible, without a log line per batch.
import { Counter, type Registry } from 'prom-client';
import type { SpanLoss } from './tracing.js';

export type SpanLossWarning = (summary: { dropped: Record<SpanLoss['reason'], number>; lastError?: string }) => void;

export function createSpanLossReporter(
  registry: Registry,
  warn?: SpanLossWarning,
  intervalMs = 60_000,
  now: () => number = Date.now,
): (loss: SpanLoss) => void {
  const counter = new Counter({
    name: 'switchyard_trace_spans_dropped_total',
    help: 'Finished spans that were not exported: export queue full (queue_full) or export failed (export_failed)',
    labelNames: ['reason'],
    registers: [registry],
  });
  let unreported = { queue_full: 0, export_failed: 0 };
  let lastError: string | undefined;
  let lastWarn = Number.NEGATIVE_INFINITY;
  return (loss) => {
    counter.inc({ reason: loss.reason }, loss.count);
    if (!warn) return;
    unreported[loss.reason] += loss.count;
    if (loss.message) lastError = loss.message;
    if (now() - lastWarn < intervalMs) return;
    lastWarn = now();
    warn({ dropped: unreported, ...(lastError && { lastError }) });
    unreported = { queue_full: 0, export_failed: 0 };
    lastError = undefined;
  };
}
