// The clients the interceptor suite compares, with real OTel SDK providers behind instrument(): spans go through
// a BatchSpanProcessor to a discard exporter, metrics are aggregated by a reader, as in a user's app.
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import type { Core } from '../contenders/switchyard-runtime.js';
import { SIM_KEY } from '../servers/upstreams.js';
import { CHAT_BODY, CHAT_MODEL } from './suite.js';

export type Mode = 'json' | 'stream';

const discard: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };

export function otelProviders() {
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })],
  });
  return {
    tracerProvider,
    meterProvider,
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** `core`: `loadCore()`'s module, so instrument() runs as the bench's runtime says (the built dist by default). */
export function clientPair(
  core: Core,
  baseURL: string,
  otel: ReturnType<typeof otelProviders>,
  fetchImpl?: typeof fetch,
) {
  const { instrument } = core;
  const opts = { apiKey: SIM_KEY, baseURL, maxRetries: 0, ...(fetchImpl ? { fetch: fetchImpl } : {}) };
  return {
    bare: new OpenAI(opts),
    wrapped: instrument(new OpenAI(opts), { tracerProvider: otel.tracerProvider, meterProvider: otel.meterProvider }),
    // No providers given and none registered globally: the OTel API's no-op tracer and meter.
    noop: instrument(new OpenAI(opts)),
  };
}

export async function oneCall(client: OpenAI, mode: Mode): Promise<void> {
  const base = { model: CHAT_MODEL, ...CHAT_BODY, messages: [...CHAT_BODY.messages] };
  if (mode === 'json') {
    await client.chat.completions.create(base);
    return;
  }
  const stream = await client.chat.completions.create({
    ...base,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const _chunk of stream) {
    // drain every chunk, as a user would
  }
}

/**
 * A fetch that replays the simulator's real JSON and SSE answers from memory: no socket, so the difference
 * between bare and wrapped is instrument()'s own CPU cost, free of loopback noise.
 */
export async function replayFetch(baseURL: string): Promise<typeof fetch> {
  const url = `${baseURL}/chat/completions`;
  const headers = { authorization: `Bearer ${SIM_KEY}`, 'content-type': 'application/json' };
  const base = { model: CHAT_MODEL, ...CHAT_BODY };
  const rec = async (body: object) => {
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
    return { text: await res.text(), headers: Object.fromEntries(res.headers) };
  };
  const json = await rec(base);
  const sse = await rec({ ...base, stream: true, stream_options: { include_usage: true } });
  return (async (_input: unknown, init?: { body?: unknown }) => {
    const r = typeof init?.body === 'string' && init.body.includes('"stream":true') ? sse : json;
    return new Response(r.text, { status: 200, headers: r.headers });
  }) as typeof fetch;
}
