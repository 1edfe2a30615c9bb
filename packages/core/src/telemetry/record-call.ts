import type { Context } from '@opentelemetry/api';
import { type PriceLogger, priceCall } from '../prices/price-call.js';
import type { PriceSource } from '../prices/price-types.js';
import type { CallRecord } from '../types.js';

/** A consumer of finished calls. `context` is the caller's OTel context at call start (span parent). */
export type CallSink = (record: CallRecord, context?: Context) => void;

export type SinkErrorHandler = (error: unknown, record: CallRecord) => void;

let reported = false;
/** Default: say once that a sink failed; telemetry must never break the caller. */
const reportOnce: SinkErrorHandler = (error) => {
  if (reported) return;
  reported = true;
  console.warn('[switchyard] a telemetry sink threw; further sink errors are not logged:', error);
};

/** Hand a record to every sink. A sink that throws is reported and skipped, never rethrown. */
export function recordCall(
  record: CallRecord,
  sinks: readonly CallSink[],
  context?: Context,
  onError: SinkErrorHandler = reportOnce,
): void {
  for (const sink of sinks) {
    try {
      sink(record, context);
    } catch (error) {
      try {
        onError(error, record);
      } catch {
        // even the error handler must not throw into user code
      }
    }
  }
}

/** Fill `cost` / `unknownPrice` from the record's usage (no usage: nothing to price). */
export function priceRecord(record: CallRecord, source?: PriceSource, log?: PriceLogger): CallRecord {
  if (!record.usage || record.cost) return record;
  const priced = { ...record };
  priceInPlace(priced, source, log);
  return priced;
}

/** priceRecord on a record the caller just built and owns: no copy (the per-call path). */
export function priceInPlace(record: CallRecord, source?: PriceSource, log?: PriceLogger): void {
  const usage = record.usage;
  if (!usage || record.cost) return;
  const provider = record.providerId ?? record.provider;
  // Price the model that answered (it may be a dated id); fall back to the requested name, which logs if unknown.
  if (record.responseModel && record.responseModel !== record.requestModel) {
    const exact = priceCall(usage, provider, record.responseModel, source, noLog, record.startTime);
    if (exact.cost) {
      record.cost = exact.cost;
      record.unknownPrice = false;
      return;
    }
  }
  const priced = priceCall(usage, provider, record.requestModel, source, log, record.startTime);
  if (priced.cost) record.cost = priced.cost;
  record.unknownPrice = priced.unknownPrice;
}

const noLog: PriceLogger = () => {};
