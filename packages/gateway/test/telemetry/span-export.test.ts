// The span export (EncodingSpanProcessor): every sampled span reaches a real OTLP/HTTP receiver, in protobuf or JSON,
// flush and shutdown wait for the export, and spans lost to a full queue or a failed export are reported.
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { attrs, type OtlpReceiverOptions, startOtlpReceiver } from '../../../../test/observability/otlp-receiver.js';
import { EncodingSpanProcessor } from '../../src/telemetry/encoding-span-processor.js';

type Receiver = Awaited<ReturnType<typeof startOtlpReceiver>>;

const open: Array<{ receiver: Receiver; provider: BasicTracerProvider }> = [];
afterEach(async () => {
  for (const { receiver, provider } of open.splice(0)) {
    await provider.shutdown();
    await receiver.stop();
  }
});

async function setup(
  batch: {
    maxQueueSize?: number;
    maxExportBatchSize?: number;
    scheduledDelayMillis?: number;
    exportTimeoutMillis?: number;
  } = {},
  receiverOpts: OtlpReceiverOptions = {},
  protocol: 'http/protobuf' | 'http/json' = 'http/protobuf',
) {
  const receiver = await startOtlpReceiver(receiverOpts);
  const lost = { dropped: 0, failed: 0, messages: [] as string[] };
  const processor = new EncodingSpanProcessor({
    protocol,
    url: `${receiver.endpoint}/v1/traces`,
    maxQueueSize: batch.maxQueueSize ?? 8192,
    maxExportBatchSize: batch.maxExportBatchSize ?? 512,
    // Long: only size, flush and shutdown send a batch, so the tests see exactly those.
    scheduledDelayMillis: batch.scheduledDelayMillis ?? 60_000,
    exportTimeoutMillis: batch.exportTimeoutMillis ?? 20_000,
    onDropped: (n) => {
      lost.dropped += n;
    },
    onExportFailed: (n, message) => {
      lost.failed += n;
      lost.messages.push(message);
    },
  });
  const provider = new BasicTracerProvider({ spanProcessors: [processor as SpanProcessor] });
  open.push({ receiver, provider });
  return { receiver, provider, processor, lost, tracer: provider.getTracer('span-export-test') };
}

/** Polls (bounded) until `done()`; the box may be busy, so the bound is generous. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) await sleep(50);
  if (!done()) throw new Error(`timed out waiting for ${what}`);
}

describe('span export', () => {
  it('delivers every span, in full batches and on shutdown, with its parent and attributes', async () => {
    const { receiver, provider, tracer } = await setup({ maxExportBatchSize: 100 });
    const ids = new Set<string>();
    for (let i = 0; i < 250; i++) {
      const parent = tracer.startSpan(`server ${i}`, { kind: SpanKind.SERVER, attributes: { i } });
      const child = tracer.startSpan(
        `client ${i}`,
        { kind: SpanKind.CLIENT, attributes: { 'gen_ai.request.model': 'gpt-4o', n: i, tags: ['a', 'b'] } },
        trace.setSpan(ROOT_CONTEXT, parent),
      );
      child.end();
      parent.end();
      ids.add(parent.spanContext().spanId).add(child.spanContext().spanId);
    }
    // 500 spans: five full batches of 100 leave on their own (the scheduled delay is a minute).
    await until(() => receiver.spans.length === 500, '5 full batches');
    const last = tracer.startSpan('after');
    last.end();
    await provider.shutdown(); // the one pending span goes out on shutdown
    expect(receiver.spans).toHaveLength(501);
    expect(new Set(receiver.spans.map((s) => s.spanId))).toEqual(ids.add(last.spanContext().spanId));
    const client7 = receiver.spans.find((s) => s.name === 'client 7');
    const server7 = receiver.spans.find((s) => s.name === 'server 7');
    expect(client7?.parentSpanId).toBe(server7?.spanId);
    expect(client7?.kind).toBe(3);
    expect(attrs(client7?.attributes)).toMatchObject({ 'gen_ai.request.model': 'gpt-4o', n: 7 });
  });

  it('forceFlush resolves once the pending spans are exported', async () => {
    const { receiver, provider, tracer } = await setup();
    tracer.startSpan('one').end();
    tracer.startSpan('two').end();
    expect(receiver.spans).toHaveLength(0);
    await provider.forceFlush();
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(['one', 'two']);
  });

  it('exports only sampled spans', async () => {
    const { receiver, provider, processor } = await setup();
    const tracer = provider.getTracer('t');
    const span = tracer.startSpan('kept');
    span.end();
    const unsampled = { ...span, spanContext: () => ({ ...span.spanContext(), traceFlags: TraceFlags.NONE }) };
    processor.onEnd(unsampled as never);
    await provider.forceFlush();
    expect(receiver.spans.map((s) => s.name)).toEqual(['kept']);
  });

  it('counts the spans a full queue drops instead of dropping them silently', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // Batches of one: the first export hangs at the receiver, two more spans fit the queue, the rest are dropped.
    const { receiver, provider, tracer, lost } = await setup({ maxQueueSize: 2, maxExportBatchSize: 1 }, { gate });
    tracer.startSpan('first').end();
    await until(() => receiver.spans.length === 1, 'the first export to arrive');
    for (const name of ['second', 'third', 'fourth', 'fifth']) tracer.startSpan(name).end();
    await until(() => lost.dropped === 2, 'the drop report');
    release();
    await provider.shutdown();
    expect(receiver.spans.map((s) => s.name)).toEqual(['first', 'second', 'third']);
    expect(lost).toMatchObject({ dropped: 2, failed: 0 });
  });

  it('delivers the same spans as OTLP/JSON', async () => {
    const { receiver, provider, tracer } = await setup({}, {}, 'http/json');
    const parent = tracer.startSpan('server', { kind: SpanKind.SERVER, attributes: { i: 1 } });
    tracer
      .startSpan(
        'client',
        { kind: SpanKind.CLIENT, attributes: { model: 'm', n: 2 } },
        trace.setSpan(ROOT_CONTEXT, parent),
      )
      .end();
    parent.end();
    await provider.forceFlush();
    expect(receiver.contentTypes).toEqual(['application/json']);
    const client = receiver.spans.find((s) => s.name === 'client');
    expect(client?.parentSpanId).toBe(receiver.spans.find((s) => s.name === 'server')?.spanId);
    expect(attrs(client?.attributes)).toEqual({ model: 'm', n: 2 });
  });

  it('counts a span it cannot encode as dropped and never throws into the code ending it', async () => {
    const { receiver, provider, processor, tracer, lost } = await setup();
    const good = tracer.startSpan('good');
    good.end();
    const broken = new Proxy(good, {
      get: (target, key) => {
        if (key === 'attributes' || key === 'name') throw new Error('unreadable');
        return Reflect.get(target, key);
      },
    });
    expect(() => processor.onEnd(broken as never)).not.toThrow();
    await provider.forceFlush();
    expect(receiver.spans.map((s) => s.name)).toEqual(['good']);
    expect(lost).toMatchObject({ dropped: 1, failed: 0 });
  });

  it('ignores spans that end after shutdown', async () => {
    const { receiver, provider, processor, tracer, lost } = await setup();
    tracer.startSpan('before').end();
    await processor.shutdown();
    tracer.startSpan('after').end();
    await provider.forceFlush();
    expect(receiver.spans.map((s) => s.name)).toEqual(['before']);
    expect(lost).toMatchObject({ dropped: 0, failed: 0 });
  });

  it('reports a batch that timed out once, even when its export fails after the timeout', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { receiver, provider, tracer, lost } = await setup({ exportTimeoutMillis: 300 }, { gate, status: 400 });
    tracer.startSpan('a').end();
    tracer.startSpan('b').end();
    await provider.forceFlush(); // resolves at the export timeout: the receiver still holds the answer
    expect(lost).toMatchObject({ failed: 2, messages: ['export timed out'] });
    release(); // the held export now fails (400): already reported, not counted again
    tracer.startSpan('c').end();
    await provider.forceFlush();
    expect(receiver.spans.map((s) => s.name).sort()).toEqual(['a', 'b', 'c']);
    expect(lost.failed).toBe(3);
  });

  it('reports a failed export with its span count', async () => {
    const { provider, tracer, lost } = await setup({}, { status: 400 });
    tracer.startSpan('a').end();
    tracer.startSpan('b').end();
    await provider.forceFlush();
    expect(lost.failed).toBe(2);
    expect(lost.messages[0]).toMatch(/400|Bad Request/i);
  });
});
