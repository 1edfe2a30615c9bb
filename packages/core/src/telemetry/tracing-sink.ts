import {
  type Attributes,
  type Context,
  SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { nanosToUsdNumber } from '../money.js';
import type { CallRecord } from '../types.js';
import type { CallSink } from './record-call.js';
import { type ATTR, operationName, providerName } from './semconv.js';

/** Instrumentation scope of the CLIENT spans a record becomes. */
export const TRACING_SCOPE = '@switchyard/core';

type AttrName = (typeof ATTR)[keyof typeof ATTR];

/**
 * GenAI semconv span attributes for a record (content only when the record carries it). The names are spelled out,
 * typed as ATTR's values so a misspelt one does not compile: V8 keeps an object filled by named stores in its fast
 * shape, while stores through `a[ATTR.X]` turn a 20-key object into a hash table, 9× slower to build and walk.
 * The record's own attributes go in first, while the object is small: a computed-key store into an object of more
 * than ~16 properties makes it a hash table too. The named attributes then overwrite any of the same name.
 */
export function spanAttributes(r: CallRecord): Attributes {
  const out: Attributes = {};
  const extra = r.attributes;
  if (extra) for (const k in extra) out[k] = extra[k];
  const a = out as { [K in AttrName]?: Attributes[string] };
  a['gen_ai.operation.name'] = operationName(r);
  a['gen_ai.provider.name'] = providerName(r.provider, r.providerId);
  a['gen_ai.request.model'] = r.requestModel;
  if (r.providerId) a['switchyard.provider.id'] = r.providerId;
  if (r.serverAddress) a['server.address'] = r.serverAddress;
  if (r.serverPort !== undefined) a['server.port'] = r.serverPort;
  if (r.streaming) a['gen_ai.request.stream'] = true;
  if (r.responseModel) a['gen_ai.response.model'] = r.responseModel;
  if (r.responseId) a['gen_ai.response.id'] = r.responseId;
  if (r.requestId) a['switchyard.upstream.request_id'] = r.requestId;
  if (r.finishReasons?.length) a['gen_ai.response.finish_reasons'] = r.finishReasons;
  if (r.timeToFirstTokenMs !== undefined) a['gen_ai.response.time_to_first_chunk'] = r.timeToFirstTokenMs / 1000;
  if (r.usage) {
    a['gen_ai.usage.input_tokens'] = r.usage.inputTokens;
    a['gen_ai.usage.output_tokens'] = r.usage.outputTokens;
    a['gen_ai.usage.cache_read.input_tokens'] = r.usage.cacheReadTokens;
    a['gen_ai.usage.cache_creation.input_tokens'] = r.usage.cacheWriteTokens;
    a['gen_ai.usage.reasoning.output_tokens'] = r.usage.reasoningTokens;
    a['switchyard.usage.source'] = r.usage.source;
  }
  if (r.cost) {
    a['gen_ai.usage.cost'] = nanosToUsdNumber(r.cost.totalNanos);
    a['switchyard.cost.nanos'] = r.cost.totalNanos.toString();
    a['switchyard.price.source'] = r.cost.priceSource;
  }
  if (r.unknownPrice) a['switchyard.price.unknown'] = true;
  if (r.error) {
    a['error.type'] = r.error.errorClass;
    a['switchyard.error.retryable'] = r.error.retryable;
    if (r.error.providerCode) a['switchyard.error.provider_code'] = r.error.providerCode;
  }
  if (r.content?.inputMessages) a['gen_ai.input.messages'] = r.content.inputMessages;
  if (r.content?.outputMessages) a['gen_ai.output.messages'] = r.content.outputMessages;
  return out;
}

export interface TracingSinkOptions {
  /**
   * Hand the attributes to `startSpan` (default true), where a sampler sees them. False sets the same attributes
   * right after the start instead: the SDK then validates and copies them once rather than three times. For
   * providers whose sampler ignores attributes (ratio, parent-based), as the gateway's does.
   */
  samplerSeesAttributes?: boolean;
}

/**
 * The CLIENT span a record becomes, as data: what `createTracingSink` records through the span API, for a tracer
 * that takes a span already finished (the gateway's tracer writes such a span straight to OTLP).
 */
export interface CallSpan {
  /** `{operation} {model}` */
  name: string;
  kind: SpanKind;
  /** Epoch milliseconds, from the record. */
  startTime: number;
  endTime: number;
  attributes: Attributes;
  /** ERROR with the error's message for a failed call, else UNSET. */
  status: SpanStatus;
}

export function callSpan(r: CallRecord): CallSpan {
  return {
    name: callSpanName(r),
    kind: SpanKind.CLIENT,
    startTime: r.startTime,
    endTime: r.startTime + r.durationMs,
    attributes: spanAttributes(r),
    status: callSpanStatus(r),
  };
}

function callSpanName(r: CallRecord): string {
  return `${operationName(r)} ${r.requestModel}`;
}

function callSpanStatus(r: CallRecord): SpanStatus {
  return r.outcome === 'error'
    ? { code: SpanStatusCode.ERROR, message: r.error?.message ?? 'error' }
    : { code: SpanStatusCode.UNSET };
}

/** One CLIENT span per record, named `{operation} {model}`, timed from the record, parented on `context`. */
export function createTracingSink(tracerProvider?: TracerProvider, opts: TracingSinkOptions = {}): CallSink {
  // The global provider is a proxy that takes a provider registered later; it is itself replaced when the API is
  // disabled and set again (a new SDK at run time), so without a provider given it is looked up per record.
  let provider = tracerProvider ?? trace.getTracerProvider();
  let tracer = provider.getTracer(TRACING_SCOPE);
  const atStart = opts.samplerSeesAttributes ?? true;
  return (r: CallRecord, context?: Context) => {
    if (!tracerProvider && trace.getTracerProvider() !== provider) {
      provider = trace.getTracerProvider();
      tracer = provider.getTracer(TRACING_SCOPE);
    }
    const name = callSpanName(r);
    const span = atStart
      ? tracer.startSpan(
          name,
          { kind: SpanKind.CLIENT, startTime: r.startTime, attributes: spanAttributes(r) },
          context,
        )
      : tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: r.startTime }, context);
    if (!atStart && span.isRecording()) span.setAttributes(spanAttributes(r));
    if (r.outcome === 'error') span.setStatus(callSpanStatus(r));
    span.end(r.startTime + r.durationMs);
  };
}
