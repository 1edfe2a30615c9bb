// Spans encoded one by one as they end must make exactly the request the OTel protobuf serializer makes from the
// same spans: same bytes, so every receiver that reads the SDK's exports reads ours.
import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeanTracerProvider, spanLimitsFromEnv } from './lean-tracer.js';
import { SpanBatch } from './otlp-span-encoding.js';
import { ProtoWriter } from './proto-writer.js';

function tracers(resourceAttributes: Record<string, string> = { 'service.name': 'switchyard' }) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return {
    exporter,
    gateway: provider.getTracer('@switchyard/gateway'),
    core: provider.getTracer('@switchyard/core', '1.2.3'),
  };
}

function gatewaySpans(): ReadableSpan[] {
  const { exporter, gateway, core } = tracers({ 'service.name': 'switchyard', 'deployment.environment': 'tést' });
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState('vendor=abc,other=1'),
  });
  const server = gateway.startSpan(
    'POST /v1/chat/completions',
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': 'POST', 'http.route': '/v1/chat/completions' },
      links: [
        {
          context: { traceId: '0AF7651916CD43DD8448EB211C80319C', spanId: 'b7ad6b7169203331', traceFlags: 1 },
          attributes: { reason: 'retry-of' },
        },
        {
          context: {
            traceId: '0af7651916cd43dd8448eb211c80319d',
            spanId: 'b7ad6b7169203332',
            traceFlags: 0,
            isRemote: true,
          },
        },
      ],
    },
    remote,
  );
  const client = core.startSpan(
    'chat gpt-4o',
    {
      kind: SpanKind.CLIENT,
      startTime: 1_700_000_000_123,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.cost': 0.0000072,
        'gen_ai.request.stream': true,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
        'switchyard.cost.nanos': '7200',
        'big.int': 2 ** 40 + 3,
        'neg.int': -5,
        'neg.big': -(2 ** 52),
        'power.of.two': 2 ** 60,
        'not.finite': Number.POSITIVE_INFINITY,
        flags: [true, false],
        numbers: [1, 2.5, -3],
        'empty.list': [],
        unicode: 'prix 12 € — 模型 🚀',
        long: 'x'.repeat(300),
      },
    },
    trace.setSpan(remote, server),
  );
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'overloaded' });
  client.end(1_700_000_000_173);
  server.setAttributes({ 'http.response.status_code': 502, 'switchyard.attempts': 1 });
  server.addEvent('switchyard.primary', { 'switchyard.target': 'openai/gpt-4o', 'switchyard.duration_ms': 50 });
  server.addEvent('switchyard.translation_warning');
  server.addEvent('big', { text: 'y'.repeat(200) }, [1_700_000_001, 999_999_999]);
  server.recordException(new Error('upstream exploded'));
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream' });
  server.end();
  const plain = gateway.startSpan('GET /healthz'); // no attributes, no parent, unset status
  plain.end();
  const internal = gateway.startSpan('internal', { kind: SpanKind.INTERNAL });
  internal.setStatus({ code: SpanStatusCode.OK });
  internal.end();
  return exporter.getFinishedSpans();
}

function encode(spans: ReadableSpan[]): Uint8Array {
  const batch = new SpanBatch();
  for (const s of spans) batch.add(s);
  expect(batch.count).toBe(spans.length);
  return batch.toRequest();
}

describe('OTLP span encoding', () => {
  it('writes the same bytes as the OTel protobuf serializer (remote parent, trace state, links, events, errors, every attribute type)', () => {
    const spans = gatewaySpans();
    expect(spans.length).toBe(4);
    expect(Buffer.from(encode(spans))).toEqual(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? []));
  });

  it('encodes the lean tracer’s spans (attributes kept as lists) as the serializer writes them', () => {
    const ended: ReadableSpan[] = [];
    const provider = new LeanTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'switchyard' }),
      sampleRatio: 1,
      limits: spanLimitsFromEnv({}),
      processor: { onEnd: (s) => ended.push(s), forceFlush: async () => {}, shutdown: async () => {} },
    });
    const tracer = provider.getTracer('@switchyard/gateway');
    const server = tracer.startSpan('POST /v1/chat/completions', {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': 'POST' },
    });
    const client = tracer.startSpan('chat m', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, server));
    const many: Record<string, string | number | boolean | string[]> = { tags: ['a', 'b'], ok: true, cost: 0.5 };
    for (let i = 0; i < 30; i++) many[`gen_ai.attr.${i}`] = i % 2 ? `v${i}` : i;
    client.setAttributes(many);
    client.setAttribute('gen_ai.attr.3', 'overwritten');
    client.end();
    server.addEvent('switchyard.primary', { 'switchyard.target': 't' });
    server.end();
    expect(ended).toHaveLength(2);
    expect(Buffer.from(encode(ended))).toEqual(Buffer.from(ProtobufTraceSerializer.serializeRequest(ended) ?? []));
  });

  it('groups spans by resource, then scope, in order of first appearance, whatever order they end in', () => {
    const a = tracers({ 'service.name': 'a' });
    const b = tracers({ 'service.name': 'b' });
    for (let i = 0; i < 3; i++) {
      a.core.startSpan(`core ${i}`).end();
      b.gateway.startSpan(`b ${i}`).end();
      a.gateway.startSpan(`gateway ${i}`).end();
    }
    const spans = [...a.exporter.getFinishedSpans(), ...b.exporter.getFinishedSpans()];
    const interleaved = [0, 3, 6, 1, 4, 7, 2, 5, 8].map((i) => spans[i] as ReadableSpan);
    expect(Buffer.from(encode(interleaved))).toEqual(
      Buffer.from(ProtobufTraceSerializer.serializeRequest(interleaved) ?? []),
    );
  });

  it('keeps lengths right when a message outgrows its reserved length bytes (16 KiB+ spans, big batches)', () => {
    const { exporter, gateway } = tracers();
    for (let i = 0; i < 600; i++) {
      const span = gateway.startSpan(`span ${i}`, {
        attributes: { i, body: i % 100 === 0 ? 'z'.repeat(20_000) : 'short' },
      });
      span.end();
    }
    const spans = exporter.getFinishedSpans();
    expect(Buffer.from(encode(spans))).toEqual(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? []));
  });

  it('matches the serializer for any attribute values (property)', () => {
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.boolean(),
      fc.integer(),
      fc.maxSafeInteger(),
      fc.double(),
      fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }),
      fc.array(fc.double(), { maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 30 }), value, { maxKeys: 12 }), (attributes) => {
        const { exporter, gateway } = tracers();
        gateway.startSpan('p', { attributes }).end();
        const spans = exporter.getFinishedSpans();
        expect(Buffer.from(encode(spans))).toEqual(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? []));
      }),
      { numRuns: 200 },
    );
  });
});

describe('ProtoWriter', () => {
  it('writes int64 varints as protobuf does, negative ones as ten bytes of two’s complement', () => {
    const cases: Array<[number, number[]]> = [
      [0, [0]],
      [300, [0xac, 0x02]],
      [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
      [-1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
      [-(2 ** 32), [0x80, 0x80, 0x80, 0x80, 0xf0, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ];
    for (const [value, bytes] of cases) {
      const w = new ProtoWriter(4);
      w.int64(value);
      expect([...w.buf.subarray(0, w.pos)], String(value)).toEqual(bytes);
    }
  });

  it('grows its buffer and moves a message whose length needs more bytes than reserved', () => {
    const w = new ProtoWriter(2);
    const m = w.begin(1);
    w.string('a'.repeat(200));
    w.end(m);
    // 202 body bytes (length 200 as two bytes, then the text): the length prefix needs two bytes, 0xca 0x01
    expect([...w.buf.subarray(0, 4)]).toEqual([0xca, 0x01, 0xc8, 0x01]);
    expect(w.pos).toBe(2 + 202);
    const v = new ProtoWriter(8);
    const big = v.begin(3);
    v.string('b');
    v.end(big); // shrinks: reserved three, needs one
    expect([...v.buf.subarray(0, v.pos)]).toEqual([2, 1, 0x62]);
  });
});
