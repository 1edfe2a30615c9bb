// The lean tracer must record what the OTel SDK's tracer records for the same API calls: the same script runs
// against both and the finished spans are compared field by field (ids and clock readings aside).
import {
  type Attributes,
  createTraceState,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  type ReadableSpan,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { LeanTracerProvider, type SpanLimits, spanLimitsFromEnv } from './lean-tracer.js';

const resource = resourceFromAttributes({ 'service.name': 'switchyard' });

function sdk(limits: Partial<SpanLimits> = {}, ratio = 1) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanLimits: limits,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { provider, spans: () => exporter.getFinishedSpans() };
}

function lean(limits: Partial<SpanLimits> = {}, ratio = 1) {
  const ended: ReadableSpan[] = [];
  const provider = new LeanTracerProvider({
    resource,
    sampleRatio: ratio,
    limits: { ...spanLimitsFromEnv({}), ...limits },
    processor: { onEnd: (s) => ended.push(s), forceFlush: async () => {}, shutdown: async () => {} },
  });
  return { provider: provider as TracerProvider, spans: () => ended };
}

/** What an OTLP export carries of a span, minus ids and clock readings (parentage as the parent's name). */
function shape(spans: ReadableSpan[]) {
  const nameOf = (id: string | undefined) => spans.find((s) => s.spanContext().spanId === id)?.name ?? id;
  return spans.map((s) => ({
    name: s.name,
    kind: s.kind,
    parent: nameOf(s.parentSpanContext?.spanId),
    parentRemote: s.parentSpanContext?.isRemote,
    traceFlags: s.spanContext().traceFlags,
    traceState: s.spanContext().traceState?.serialize(),
    attributes: s.attributes,
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({ name: e.name, attributes: e.attributes, dropped: e.droppedAttributesCount })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links,
    droppedLinksCount: s.droppedLinksCount,
    status: s.status,
    ended: s.ended,
    resource: s.resource.attributes,
    scope: s.instrumentationScope,
  }));
}

function script(provider: TracerProvider, error: Error): void {
  const gateway: Tracer = provider.getTracer('@switchyard/gateway');
  const core = provider.getTracer('@switchyard/core', '1.2.3');
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: createTraceState('vendor=abc'),
  });
  const server = gateway.startSpan(
    'POST /v1/chat/completions',
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': 'POST', empty: undefined, bad: { nested: 1 } as never, '': 'no key' },
      links: [
        {
          context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
          attributes: { a: 1, b: 'x', c: [1, 'mixed'] as never },
        },
        { context: { traceId: '0af7651916cd43dd8448eb211c80319d', spanId: 'b7ad6b7169203332', traceFlags: 0 } },
        { context: { traceId: '0af7651916cd43dd8448eb211c80319e', spanId: 'b7ad6b7169203333', traceFlags: 0 } },
      ],
    },
    remote,
  );
  const client = core.startSpan(
    'chat gpt-4o',
    { kind: SpanKind.CLIENT, startTime: 1_700_000_000_123 },
    trace.setSpan(remote, server),
  );
  client.setAttributes({ 'gen_ai.usage.input_tokens': 12, tags: ['a', 'b'], long: 'x'.repeat(40), n: Number.NaN });
  client.setAttribute('gen_ai.usage.input_tokens', 13); // overwrite: not a new key
  for (let i = 0; i < 6; i++) client.setAttribute(`extra.${i}`, i);
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'overloaded' });
  client.end(1_700_000_000_173);
  client.setAttribute('after.end', true); // ignored
  client.end(); // twice: ignored
  server.addEvent('switchyard.primary', { 'switchyard.target': 'openai/gpt-4o', ms: 50, bad: {} as never });
  server.addEvent('timed', [1_700_000_001, 5]);
  for (let i = 0; i < 5; i++) server.addEvent(`many ${i}`, { i, j: i, k: i, l: i, m: i });
  server.recordException(error);
  server.recordException('plain text');
  server.setStatus({ code: SpanStatusCode.UNSET }); // ignored
  server.setStatus({ code: SpanStatusCode.OK });
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' }); // OK is final
  server.updateName('POST /v1/chat/completions (renamed)');
  server.end();
  gateway.startSpan('root', { root: true }, trace.setSpan(remote, server)).end();
  gateway.startSpan('internal').end();
  const unsampledParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4737',
    spanId: '00f067aa0ba902b8',
    traceFlags: TraceFlags.NONE,
    isRemote: true,
  });
  const notSampled = gateway.startSpan('child of an unsampled parent', {}, unsampledParent);
  expect(notSampled.isRecording()).toBe(false);
  notSampled.end();
  const suppressed = gateway.startSpan('suppressed', {}, suppressTracing(ROOT_CONTEXT));
  expect(suppressed.isRecording()).toBe(false);
  expect(trace.isSpanContextValid(suppressed.spanContext())).toBe(false);
  suppressed.end();
}

describe('LeanTracerProvider', () => {
  it('records what the SDK records for the same calls (attributes, limits, events, links, exceptions, status, parents)', () => {
    const limits = {
      attributeCountLimit: 6,
      attributeValueLengthLimit: 20,
      eventCountLimit: 4,
      attributePerEventCountLimit: 3,
      linkCountLimit: 2,
      attributePerLinkCountLimit: 1,
    };
    const a = sdk(limits);
    const b = lean(limits);
    const error = Object.assign(new Error('upstream exploded'), { code: 'ECONNRESET' });
    script(a.provider, error);
    script(b.provider, error);
    expect(b.spans().map((s) => s.name)).toEqual([
      'chat gpt-4o',
      'POST /v1/chat/completions (renamed)',
      'root',
      'internal',
    ]);
    expect(shape(b.spans())).toEqual(shape(a.spans()));
  });

  it('records the same with the default limits', () => {
    const a = sdk();
    const b = lean();
    const error = new Error('upstream exploded');
    script(a.provider, error);
    script(b.provider, error);
    expect(shape(b.spans())).toEqual(shape(a.spans()));
  });

  it('times spans as the SDK does: given epoch ms, Dates and HrTimes as given; without, the duration by the monotonic clock', () => {
    const { provider, spans } = lean();
    const tracer = provider.getTracer('t');
    tracer.startSpan('ms', { startTime: 1_700_000_000_123 }).end(1_700_000_000_173.5);
    tracer.startSpan('date', { startTime: new Date(1_700_000_000_000) }).end([1_700_000_000, 250_000_000]);
    const before = Date.now();
    const open = tracer.startSpan('clock');
    const t0 = performance.now();
    while (performance.now() - t0 < 3) {
      // spin ~3 ms
    }
    open.end();
    const [ms, date, clock] = spans() as [ReadableSpan, ReadableSpan, ReadableSpan];
    expect(ms.startTime).toEqual([1_700_000_000, 123_000_000]);
    expect(ms.endTime).toEqual([1_700_000_000, 173_500_000]);
    expect(ms.duration).toEqual([0, 50_500_000]);
    expect(date.duration).toEqual([0, 250_000_000]);
    const startMs = clock.startTime[0] * 1e3 + clock.startTime[1] / 1e6;
    expect(startMs).toBeGreaterThanOrEqual(before);
    const durationMs = clock.duration[0] * 1e3 + clock.duration[1] / 1e6;
    expect(durationMs).toBeGreaterThanOrEqual(3);
    const relative = tracer.startSpan('relative', { startTime: performance.now() });
    relative.end();
    const rel = spans()[3] as ReadableSpan;
    expect(Math.abs(rel.startTime[0] - Math.floor(Date.now() / 1000))).toBeLessThanOrEqual(1);
  });

  it('samples by ratio with fresh random ids, and follows the parent', () => {
    const none = lean({}, 0);
    none.provider.getTracer('t').startSpan('x').end();
    expect(none.spans()).toHaveLength(0);
    const half = lean({}, 0.5);
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const s = half.provider.getTracer('t').startSpan('x');
      ids.add(s.spanContext().traceId);
      expect(s.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.spanContext().spanId).toMatch(/^[0-9a-f]{16}$/);
      s.end();
    }
    expect(ids.size).toBe(2000);
    // TraceIdRatio over 2000 random ids: 50 % ± 5 points is > 6 sigma
    expect(half.spans().length).toBeGreaterThan(900);
    expect(half.spans().length).toBeLessThan(1100);
    const sampledParent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    });
    none.provider.getTracer('t').startSpan('kept: parent sampled', {}, sampledParent).end();
    expect(none.spans().map((s) => s.name)).toEqual(['kept: parent sampled']);
  });

  it('startActiveSpan runs the function with the new span, in all three call forms, and returns its result', () => {
    const { provider, spans } = lean();
    const tracer = provider.getTracer('t');
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
    });
    const endWith = (n: number) => (span: { end(): void }) => {
      span.end();
      return n;
    };
    expect(tracer.startActiveSpan('two', endWith(2))).toBe(2);
    expect(tracer.startActiveSpan('three', { kind: SpanKind.SERVER }, endWith(3))).toBe(3);
    expect(tracer.startActiveSpan('four', {}, parent, endWith(4))).toBe(4);
    expect(spans().map((s) => [s.name, s.kind, s.parentSpanContext?.spanId])).toEqual([
      ['two', SpanKind.INTERNAL, undefined],
      ['three', SpanKind.SERVER, undefined],
      ['four', SpanKind.INTERNAL, '00f067aa0ba902b7'],
    ]);
  });

  it('reads the standard span limit variables', () => {
    expect(
      spanLimitsFromEnv({
        OTEL_ATTRIBUTE_COUNT_LIMIT: '10',
        OTEL_SPAN_EVENT_COUNT_LIMIT: '3',
        OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: 'x',
      }),
    ).toEqual({
      attributeCountLimit: 10,
      attributeValueLengthLimit: Number.POSITIVE_INFINITY,
      eventCountLimit: 3,
      linkCountLimit: 128,
      attributePerEventCountLimit: 10,
      attributePerLinkCountLimit: 10,
    });
    expect(
      spanLimitsFromEnv({ OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '5', OTEL_ATTRIBUTE_COUNT_LIMIT: '10' }).attributeCountLimit,
    ).toBe(5);
  });

  it('is a ReadableSpan for OTel serializers: attributes stay the caller’s values, not the caller’s object', () => {
    const { provider, spans } = lean();
    const attrs: Attributes = { a: 1 };
    const s = provider.getTracer('t').startSpan('x', { attributes: attrs });
    attrs.a = 2;
    s.end();
    expect(spans()[0]?.attributes).toEqual({ a: 1 });
  });
});
