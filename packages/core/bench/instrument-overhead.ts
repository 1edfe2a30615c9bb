// Measures instrument() overhead: bare vs wrapped openai client against the local simulator, sequential
// calls, interleaved in blocks so drift (GC, JIT, CPU contention) hits both sides alike.
// Run: pnpm exec tsx packages/core/bench/instrument-overhead.ts [calls=2000]
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startSimulator } from '@switchyard/simulators';
import OpenAI from 'openai';
import { createOtelMetricsSink, createTracingSink, instrument } from '../src/index.js';

const CALLS = Number(process.argv[2] ?? 2000);
const BLOCK = 100;
const sim = await startSimulator({ provider: 'openai', port: 0 });
const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const bare = new OpenAI({ apiKey: 'sk-bench', baseURL: `${sim.url}/v1`, maxRetries: 0 });
// Mode "record": instrument() itself (tracking, usage, integer cost from the genai-prices catalog) with an
// onRecord sink. Mode "otel": plus a recording OTel SDK tracer and the OTel metrics API.
const MODE = process.argv[3] ?? 'record';
let records = 0;
const wrapped = instrument(new OpenAI({ apiKey: 'sk-bench', baseURL: `${sim.url}/v1`, maxRetries: 0 }), {
  sinks: MODE === 'otel' ? [createTracingSink(tracerProvider), createOtelMetricsSink()] : [],
  onRecord: () => {
    records++;
  },
});
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hello' }] };

async function nonStream(c: OpenAI): Promise<void> {
  await c.chat.completions.create(body);
}
async function stream(c: OpenAI): Promise<void> {
  for await (const _ of await c.chat.completions.create({
    ...body,
    stream: true,
    stream_options: { include_usage: true },
  })) {
  }
}

async function measure(kind: string, run: (c: OpenAI) => Promise<void>): Promise<void> {
  for (let i = 0; i < 200; i++) await run(i % 2 ? bare : wrapped); // warm-up
  const time = { bare: 0, wrapped: 0 };
  const cpu = { bare: 0, wrapped: 0 };
  for (let done = 0; done < CALLS; done += BLOCK) {
    for (const side of (done / BLOCK) % 2 ? (['wrapped', 'bare'] as const) : (['bare', 'wrapped'] as const)) {
      const client = side === 'bare' ? bare : wrapped;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let i = 0; i < BLOCK; i++) await run(client);
      const c1 = process.cpuUsage(c0);
      time[side] += performance.now() - t0;
      cpu[side] += (c1.user + c1.system) / 1000;
    }
    exporter.reset();
  }
  const us = (ms: number) => (ms * 1000) / CALLS;
  const line = (what: string, t: { bare: number; wrapped: number }) =>
    `${what} bare ${us(t.bare).toFixed(1)} wrapped ${us(t.wrapped).toFixed(1)} overhead ${(us(t.wrapped) - us(t.bare)).toFixed(1)} µs/call`;
  console.log(`${kind.padEnd(10)} ${line('wall', time)} | ${line('cpu', cpu)}`);
}

console.log(
  `node ${process.version}, mode ${MODE}, ${CALLS} sequential calls per side, blocks of ${BLOCK}, interleaved; cpu = process CPU time (simulator runs in-process, same for both sides)`,
);
await measure('non-stream', nonStream);
await measure('stream', stream);
if (records === 0 && MODE !== 'otel') throw new Error('no records: instrumentation not exercised');
await sim.close();
