// instrument() overhead with the network taken out: both clients get the same canned simulator response
// from an in-process fetch, so the difference between them is the wrapper's own cost (CPU-bound, no I/O noise).
// Run: pnpm exec tsx packages/core/bench/instrument-overhead-inproc.ts [calls=20000] [otel]
// `otel`: the default sinks with real OTel SDK tracer + meter providers (as the interceptor bench suite does),
// instead of a single counting onRecord.
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startSimulator } from '@switchyard/simulators';
import OpenAI from 'openai';
import { instrument } from '../src/index.js';

const CALLS = Number(process.argv[2] ?? 20000);
const BLOCK = 1000;
const sim = await startSimulator({ provider: 'openai', port: 0 });
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hello' }] };
// Record one real simulator answer of each kind, then serve copies of it.
const grab = async (stream: boolean) => {
  const res = await fetch(`${sim.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk', 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream, ...(stream && { stream_options: { include_usage: true } }) }),
  });
  return { text: await res.text(), type: res.headers.get('content-type') ?? 'application/json' };
};
const canned = { json: await grab(false), sse: await grab(true) };
await sim.close();

const fakeFetch = async (_url: unknown, init?: RequestInit) => {
  const c = String(init?.body).includes('"stream":true') ? canned.sse : canned.json;
  return new Response(c.text, { status: 200, headers: { 'content-type': c.type, 'x-request-id': 'req_1' } });
};
const opts = { apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:1/v1', maxRetries: 0, fetch: fakeFetch as typeof fetch };
const bare = new OpenAI(opts);
let records = 0;
const OTEL = process.argv[3] === 'otel';
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor({ export: (_s, done) => done({ code: 0 }), shutdown: async () => {} })],
});
const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
      exportIntervalMillis: 60_000,
    }),
  ],
});
const wrapped = instrument(
  new OpenAI(opts),
  OTEL
    ? { tracerProvider, meterProvider, onRecord: () => void records++ }
    : { sinks: [], onRecord: () => void records++ },
);

const runs = {
  'non-stream': (c: OpenAI) => c.chat.completions.create(body),
  stream: async (c: OpenAI) => {
    for await (const _ of await c.chat.completions.create({
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    })) {
    }
  },
};
console.log(
  `node ${process.version}, ${CALLS} sequential calls per side, in-process fetch, interleaved blocks of ${BLOCK}, sinks: ${OTEL ? 'real OTel SDK providers' : 'none (onRecord only)'}`,
);
for (const [kind, run] of Object.entries(runs)) {
  for (let i = 0; i < 2000; i++) await run(i % 2 ? bare : wrapped);
  const cpu = { bare: 0, wrapped: 0 };
  for (let done = 0; done < CALLS; done += BLOCK) {
    for (const side of (done / BLOCK) % 2 ? (['wrapped', 'bare'] as const) : (['bare', 'wrapped'] as const)) {
      const client = side === 'bare' ? bare : wrapped;
      const c0 = process.cpuUsage();
      for (let i = 0; i < BLOCK; i++) await run(client);
      const d = process.cpuUsage(c0);
      cpu[side] += d.user + d.system;
    }
  }
  const us = (x: number) => x / CALLS;
  console.log(
    `${kind.padEnd(10)} cpu bare ${us(cpu.bare).toFixed(1)} wrapped ${us(cpu.wrapped).toFixed(1)} overhead ${(us(cpu.wrapped) - us(cpu.bare)).toFixed(1)} µs/call`,
  );
}
if (records === 0) throw new Error('no records: instrumentation not exercised');
await tracerProvider.shutdown();
await meterProvider.shutdown();
