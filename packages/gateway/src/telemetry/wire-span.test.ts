// The export worker must send exactly what the SDK's exporter would have: spans taken apart on the main thread and
// rebuilt in the worker serialise to the same OTLP bytes, protobuf and JSON, as the original ReadableSpans.
import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { fromWire, KeyTable, toWire, type WireScope } from './wire-span.js';

function recordedSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'switchyard', 'deployment.environment': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const gateway = provider.getTracer('@switchyard/gateway');
  const core = provider.getTracer('@switchyard/core', '1.2.3');
  // a remote parent with a trace state, as a client's traceparent / tracestate give
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
          context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 },
          attributes: { reason: 'retry-of' },
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
      },
    },
    trace.setSpan(remote, server),
  );
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'overloaded' });
  client.end(1_700_000_000_173);
  server.setAttributes({ 'http.response.status_code': 502, 'switchyard.attempts': 1 });
  server.addEvent('switchyard.primary', { 'switchyard.target': 'openai/gpt-4o', 'switchyard.duration_ms': 50 });
  server.addEvent('switchyard.translation_warning');
  server.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream' });
  server.end();
  const plain = gateway.startSpan('GET /healthz'); // no attributes, no parent, unset status
  plain.end();
  return exporter.getFinishedSpans();
}

/** Main thread → structured clone (what postMessage does) → worker, sharing resource and scope objects by id. */
function roundTrip(spans: ReadableSpan[]): ReadableSpan[] {
  const resources: ReadableSpan['resource'][] = [];
  const scopes: ReadableSpan['instrumentationScope'][] = [];
  const idOf = <T>(list: T[], item: T) => (list.includes(item) ? list.indexOf(item) : list.push(item) - 1);
  const keys = new KeyTable();
  const wire = structuredClone(
    spans.map((s) => toWire(s, idOf(resources, s.resource), idOf(scopes, s.instrumentationScope), keys)),
  );
  const keyNames = structuredClone(keys.takeNew() ?? []);
  const workerResources = resources.map((r) => ({ attributes: structuredClone(r.attributes), schemaUrl: r.schemaUrl }));
  const workerScopes: WireScope[] = scopes.map((s) => ({ name: s.name, version: s.version, schemaUrl: s.schemaUrl }));
  return wire.map((w) =>
    fromWire(
      w,
      workerResources[w[21]] as unknown as ReadableSpan['resource'],
      workerScopes[w[22]] as WireScope,
      keyNames,
    ),
  );
}

describe('wire spans (main thread → export worker)', () => {
  const spans = recordedSpans();

  it('covers the features the gateway emits', () => {
    expect(spans).toHaveLength(3);
    const server = spans.find((s) => s.kind === SpanKind.SERVER) as ReadableSpan;
    expect(server.events).toHaveLength(2);
    expect(server.links).toHaveLength(1);
    expect(server.parentSpanContext?.isRemote).toBe(true);
    expect(server.spanContext().traceState?.serialize()).toBe('vendor=abc,other=1');
  });

  it('serialises to the same OTLP protobuf bytes', () => {
    const original = ProtobufTraceSerializer.serializeRequest(spans);
    const rebuilt = ProtobufTraceSerializer.serializeRequest(roundTrip(spans));
    expect(original?.length).toBeGreaterThan(200);
    expect(Buffer.from(rebuilt as Uint8Array).equals(Buffer.from(original as Uint8Array))).toBe(true);
  });

  it('serialises to the same OTLP JSON', () => {
    const decode = (b: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(b));
    expect(decode(JsonTraceSerializer.serializeRequest(roundTrip(spans)))).toEqual(
      decode(JsonTraceSerializer.serializeRequest(spans)),
    );
  });

  it('sends each attribute key once, then its number', () => {
    const keys = new KeyTable();
    const [a, b] = [toWire(spans[0] as ReadableSpan, 0, 0, keys), toWire(spans[0] as ReadableSpan, 0, 0, keys)];
    expect(keys.takeNew()).toEqual(Object.keys((spans[0] as ReadableSpan).attributes));
    expect(keys.takeNew()).toBeUndefined();
    expect(a[12]).toEqual(b[12]);
    expect(a[12].every((k) => typeof k === 'number')).toBe(true);
  });

  it('keeps the fields exporters read beyond the wire format', () => {
    for (const [a, b] of spans.map((s, i) => [s, roundTrip(spans)[i] as ReadableSpan] as const)) {
      expect(b.duration).toEqual(a.duration);
      expect(b.ended).toBe(true);
      expect(b.spanContext()).toMatchObject({ traceId: a.spanContext().traceId, spanId: a.spanContext().spanId });
    }
  });
});
