import {
  type Attributes,
  type Context,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { nanosToUsdNumber } from '../money.js';
import type { CallRecord } from '../types.js';
import type { CallSink } from './record-call.js';
import { ATTR, operationName, providerName } from './semconv.js';

const SCOPE = '@switchyard/core';

/** GenAI semconv span attributes for a record (content only when the record carries it). */
export function spanAttributes(r: CallRecord): Attributes {
  const a: Attributes = {
    [ATTR.OPERATION_NAME]: operationName(r),
    [ATTR.PROVIDER_NAME]: providerName(r.provider, r.providerId),
    [ATTR.REQUEST_MODEL]: r.requestModel,
  };
  if (r.providerId) a[ATTR.PROVIDER_ID] = r.providerId;
  if (r.serverAddress) a[ATTR.SERVER_ADDRESS] = r.serverAddress;
  if (r.serverPort !== undefined) a[ATTR.SERVER_PORT] = r.serverPort;
  if (r.streaming) a[ATTR.REQUEST_STREAM] = true;
  if (r.responseModel) a[ATTR.RESPONSE_MODEL] = r.responseModel;
  if (r.responseId) a[ATTR.RESPONSE_ID] = r.responseId;
  if (r.requestId) a[ATTR.UPSTREAM_REQUEST_ID] = r.requestId;
  if (r.finishReasons?.length) a[ATTR.RESPONSE_FINISH_REASONS] = r.finishReasons;
  if (r.timeToFirstTokenMs !== undefined) a[ATTR.RESPONSE_TIME_TO_FIRST_CHUNK] = r.timeToFirstTokenMs / 1000;
  if (r.usage) {
    a[ATTR.USAGE_INPUT_TOKENS] = r.usage.inputTokens;
    a[ATTR.USAGE_OUTPUT_TOKENS] = r.usage.outputTokens;
    a[ATTR.USAGE_CACHE_READ_INPUT_TOKENS] = r.usage.cacheReadTokens;
    a[ATTR.USAGE_CACHE_CREATION_INPUT_TOKENS] = r.usage.cacheWriteTokens;
    a[ATTR.USAGE_REASONING_OUTPUT_TOKENS] = r.usage.reasoningTokens;
    a[ATTR.USAGE_SOURCE] = r.usage.source;
  }
  if (r.cost) {
    a[ATTR.USAGE_COST] = nanosToUsdNumber(r.cost.totalNanos);
    a[ATTR.COST_NANOS] = r.cost.totalNanos.toString();
    a[ATTR.PRICE_SOURCE] = r.cost.priceSource;
  }
  if (r.unknownPrice) a[ATTR.PRICE_UNKNOWN] = true;
  if (r.error) {
    a[ATTR.ERROR_TYPE] = r.error.errorClass;
    a[ATTR.RETRYABLE] = r.error.retryable;
    if (r.error.providerCode) a[ATTR.PROVIDER_ERROR_CODE] = r.error.providerCode;
  }
  if (r.content?.inputMessages) a[ATTR.INPUT_MESSAGES] = r.content.inputMessages;
  if (r.content?.outputMessages) a[ATTR.OUTPUT_MESSAGES] = r.content.outputMessages;
  const extra = r.attributes;
  if (extra) for (const k in extra) a[k] ??= extra[k];
  return a;
}

export interface TracingSinkOptions {
  /**
   * Hand the attributes to `startSpan` (default true), where a sampler sees them. False sets the same attributes
   * right after the start instead: the SDK then validates and copies them once rather than three times. For
   * providers whose sampler ignores attributes (ratio, parent-based), as the gateway's does.
   */
  samplerSeesAttributes?: boolean;
}

/** One CLIENT span per record, named `{operation} {model}`, timed from the record, parented on `context`. */
export function createTracingSink(tracerProvider?: TracerProvider, opts: TracingSinkOptions = {}): CallSink {
  const tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const atStart = opts.samplerSeesAttributes ?? true;
  return (r: CallRecord, context?: Context) => {
    const name = `${operationName(r)} ${r.requestModel}`;
    const span = atStart
      ? tracer.startSpan(
          name,
          { kind: SpanKind.CLIENT, startTime: r.startTime, attributes: spanAttributes(r) },
          context,
        )
      : tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: r.startTime }, context);
    if (!atStart && span.isRecording()) span.setAttributes(spanAttributes(r));
    if (r.outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: r.error?.message ?? 'error' });
    span.end(r.startTime + r.durationMs);
  };
}
