// A CLIENT span written straight from its record (LeanTracer.recordFinished → writeFinishedSpan, ADR 0019) must be
// byte for byte the span the lean tracer records through the span API for the same record (core's tracing sink):
// same OTLP bytes, same sampling, same limits.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Context,
  createTraceState,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { type CallRecord, callSpan, createTracingSink, TRACING_SCOPE } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodingSpanProcessor } from './encoding-span-processor.js';
import {
  type FinishedSpanData,
  LeanTracerProvider,
  type SpanEndProcessor,
  type SpanLimits,
  spanLimitsFromEnv,
} from './lean-tracer.js';
import { writeFinishedSpan, writeSpan } from './otlp-span-encoding.js';
import { ProtoWriter } from './proto-writer.js';

const resource = resourceFromAttributes({ 'service.name': 'switchyard' });

/** A provider whose processor keeps span objects (no `onFinished`), and one that takes finished data. */
function providers(limits: SpanLimits, ratio = 1) {
  const ended: ReadableSpan[] = [];
  const finished: Array<{ span: FinishedSpanData; context: SpanContext; parent?: SpanContext }> = [];
  const noop = async () => {};
  const objects: SpanEndProcessor = { onEnd: (s) => ended.push(s), forceFlush: noop, shutdown: noop };
  const data: SpanEndProcessor = {
    onEnd: (s) => ended.push(s),
    onFinished: (span, context, parent) => finished.push({ span, context, parent }) > 0,
    forceFlush: noop,
    shutdown: noop,
  };
  const make = (processor: SpanEndProcessor) =>
    new LeanTracerProvider({ resource, sampleRatio: ratio, limits, processor });
  return { viaObjects: make(objects), viaData: make(data), ended, finished };
}

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('gpt-4o', 'claude-sonnet-4', 'é✓ 中'));
const count = fc.nat({ max: 100_000 });
const record: fc.Arbitrary<CallRecord> = fc.record(
  {
    provider: fc.constantFrom('openai', 'anthropic', 'gemini', 'bedrock', 'openai-compatible'),
    providerId: text,
    operation: fc.constantFrom('chat', 'responses', 'embeddings'),
    requestModel: text,
    responseModel: text,
    startTime: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
    durationMs: fc.oneof(fc.nat({ max: 60_000 }), fc.double({ min: -5, max: 5, noNaN: true })),
    timeToFirstTokenMs: fc.nat({ max: 5000 }),
    streaming: fc.boolean(),
    usage: fc.record({
      inputTokens: count,
      outputTokens: count,
      cacheReadTokens: count,
      cacheWriteTokens: count,
      reasoningTokens: count,
      source: fc.constantFrom('provider', 'estimated'),
    }),
    cost: fc.record({
      inputNanos: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      outputNanos: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      totalNanos: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      priceSource: text,
    }),
    unknownPrice: fc.boolean(),
    outcome: fc.constantFrom('ok', 'error'),
    error: fc.record(
      {
        errorClass: fc.constantFrom('rate_limited', 'timeout', 'server_error'),
        retryable: fc.boolean(),
        fallbackEligible: fc.boolean(),
        providerCode: text,
        message: text,
      },
      { requiredKeys: ['errorClass', 'retryable', 'fallbackEligible'] },
    ),
    finishReasons: fc.array(fc.constantFrom('stop', 'length', 'tool_calls'), { maxLength: 3 }),
    responseId: text,
    requestId: text,
    serverAddress: fc.constantFrom('api.openai.com', '127.0.0.1'),
    serverPort: fc.integer({ min: 1, max: 65_535 }),
    attributes: fc.dictionary(
      fc.oneof(text, fc.constantFrom('gen_ai.request.model', 'switchyard.attempt.kind', 'toString', '')),
      fc.oneof(text, fc.integer(), fc.boolean()),
      { maxKeys: 8 },
    ),
  },
  { requiredKeys: ['provider', 'operation', 'requestModel', 'startTime', 'durationMs', 'streaming', 'outcome'] },
) as fc.Arbitrary<CallRecord>;

const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: createTraceState('vendor=abc'),
});
const parents: Record<string, Context> = { root: ROOT_CONTEXT, remote: remoteParent };

const defaults = spanLimitsFromEnv({});
const tight: SpanLimits = { ...defaults, attributeCountLimit: 5, attributeValueLengthLimit: 4 };

function bytes(write: (w: ProtoWriter) => void): Buffer {
  const w = new ProtoWriter(256);
  write(w);
  return Buffer.from(w.buf.subarray(0, w.pos));
}

describe('a span written from its data (writeFinishedSpan)', () => {
  for (const [limitsName, limits] of [
    ['default limits', defaults],
    ['tight limits', tight],
  ] as const) {
    it(`writes the bytes of the span the tracer records through the span API (${limitsName})`, () => {
      fc.assert(
        fc.property(record, fc.constantFrom('root', 'remote', 'local'), (r, parentKind) => {
          const { viaObjects, ended } = providers(limits);
          let ctx = parents[parentKind] ?? ROOT_CONTEXT;
          if (parentKind === 'local') {
            const server = viaObjects.getTracer('@switchyard/gateway').startSpan('POST', { kind: SpanKind.SERVER });
            ctx = trace.setSpan(ROOT_CONTEXT, server);
          }
          createTracingSink(viaObjects, { samplerSeesAttributes: false })(r, ctx);
          const span = ended.at(-1) as ReadableSpan;
          expect(span.instrumentationScope.name).toBe(TRACING_SCOPE);
          const tracer = { resource, scope: span.instrumentationScope, limits };
          const expected = bytes((w) => writeSpan(w, span));
          const written = bytes((w) =>
            writeFinishedSpan(w, callSpan(r), span.spanContext(), span.parentSpanContext, tracer),
          );
          expect(written.toString('hex')).toBe(expected.toString('hex'));
        }),
        { numRuns: 300 },
      );
    });
  }
});

const attributeValue = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(text, { maxLength: 3 }),
  fc.constantFrom(undefined, null, { not: 'valid' }),
);
const finishedSpan: fc.Arbitrary<FinishedSpanData> = fc.record({
  name: text,
  kind: fc.constantFrom(SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER),
  startTime: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  endTime: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  attributes: fc.dictionary(text, attributeValue, { maxKeys: 10 }),
  status: fc.record(
    { code: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR), message: text },
    { requiredKeys: ['code'] },
  ),
}) as fc.Arbitrary<FinishedSpanData>;

describe('any finished span data', () => {
  it('is written as the span object recorded from it (the fallback path) is', () => {
    fc.assert(
      fc.property(finishedSpan, fc.constantFrom(defaults, tight), (data, limits) => {
        const { viaObjects, ended } = providers(limits);
        viaObjects.leanTracer('scope', '1.0').recordFinished(remoteParent, data, (d) => d);
        const span = ended.at(-1) as ReadableSpan;
        const tracer = { resource, scope: span.instrumentationScope, limits };
        const expected = bytes((w) => writeSpan(w, span));
        const written = bytes((w) => writeFinishedSpan(w, data, span.spanContext(), span.parentSpanContext, tracer));
        expect(written.toString('hex')).toBe(expected.toString('hex'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('LeanTracer.recordFinished', () => {
  const r = {
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o',
    startTime: 1_700_000_000_000,
    durationMs: 12,
    streaming: false,
    outcome: 'error',
    error: { errorClass: 'timeout', retryable: true, fallbackEligible: true, message: 'upstream timed out' },
  } as CallRecord;

  it('hands a sampled span to the processor as data, in the parent’s trace, with a new span id', () => {
    const { viaData, finished, ended } = providers(defaults);
    viaData.leanTracer(TRACING_SCOPE).recordFinished(remoteParent, r, callSpan);
    expect(ended).toHaveLength(0);
    expect(finished).toHaveLength(1);
    const [{ span, context, parent }] = finished as [(typeof finished)[number]];
    expect(span).toMatchObject({ name: 'chat gpt-4o', kind: SpanKind.CLIENT, startTime: 1_700_000_000_000 });
    expect(span.endTime).toBe(1_700_000_000_012);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream timed out' });
    expect(parent?.spanId).toBe('00f067aa0ba902b7');
    expect(context.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(context.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(context.spanId).not.toBe('00f067aa0ba902b7');
    expect(context.traceState?.serialize()).toBe('vendor=abc');
  });

  it('records nothing under an unsampled parent, with suppressed tracing, or at ratio 0', () => {
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    let made = 0;
    const toSpan = (x: CallRecord) => {
      made++;
      return callSpan(x);
    };
    const { viaData, finished, ended } = providers(defaults);
    viaData.leanTracer(TRACING_SCOPE).recordFinished(unsampled, r, toSpan);
    viaData.leanTracer(TRACING_SCOPE).recordFinished(suppressTracing(remoteParent), r, toSpan);
    const atZero = providers(defaults, 0);
    atZero.viaData.leanTracer(TRACING_SCOPE).recordFinished(ROOT_CONTEXT, r, toSpan);
    expect([finished.length, ended.length, atZero.finished.length, atZero.ended.length, made]).toEqual([0, 0, 0, 0, 0]);
  });

  it('records a span object through onEnd when the processor takes no data (OTLP/JSON)', () => {
    const { viaObjects, ended } = providers(defaults);
    viaObjects.leanTracer(TRACING_SCOPE).recordFinished(remoteParent, r, callSpan);
    expect(ended).toHaveLength(1);
    const span = ended[0] as ReadableSpan;
    expect(span.name).toBe('chat gpt-4o');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream timed out' });
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span.attributes['gen_ai.request.model']).toBe('gpt-4o');
  });

  it('the encoding processor takes the data for OTLP/protobuf and declines it for OTLP/JSON', async () => {
    const bodies: number[] = [];
    const receiver = createServer((req, res) => {
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
      });
      req.on('end', () => {
        bodies.push(size);
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const options = {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`,
      maxQueueSize: 10,
      maxExportBatchSize: 10,
      scheduledDelayMillis: 60_000,
      exportTimeoutMillis: 5000,
    };
    const protobuf = new EncodingSpanProcessor({ ...options, protocol: 'http/protobuf' });
    const json = new EncodingSpanProcessor({ ...options, protocol: 'http/json' });
    const context = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '1111111111111111', traceFlags: 1 };
    const tracer = { resource, scope: { name: TRACING_SCOPE }, limits: defaults };
    expect(protobuf.onFinished(callSpan(r), context, undefined, tracer)).toBe(true);
    expect(json.onFinished(callSpan(r), context, undefined, tracer)).toBe(false);
    await Promise.all([protobuf.shutdown(), json.shutdown()]);
    await new Promise((resolve) => receiver.close(resolve));
    expect(bodies).toHaveLength(1); // the protobuf span, exported at shutdown
    expect(bodies[0]).toBeGreaterThan(100);
  });
});
