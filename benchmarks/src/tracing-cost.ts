// `pnpm exec tsx benchmarks/src/tracing-cost.ts [rps] [seconds] [rounds]`: the main-thread CPU that tracing adds per
// chat request, measured in-process without the HTTP path: the gateway's telemetry calls one request makes (SERVER
// span, requestStarted, one CLIENT attempt span, requestFinished) at a paced rate, with tracing off and on (OTLP
// protobuf to the bench's discard sink in its own process). Readable on a busy box where rps figures are noise;
// prints µs per request of the main thread and of the whole process, and the spans the batch processor dropped.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallRecord } from '../../packages/core/src/index.js';
import type { GatewayRequest } from '../../packages/gateway/src/pipeline/seams.js';
import { createTelemetry } from '../../packages/gateway/src/telemetry/index.js';
import { startSink } from './servers/start-upstreams.js';

const TICK_US = 10_000; // USER_HZ is 100 on Linux
const rps = Number(process.argv[2] ?? 3000);
const seconds = Number(process.argv[3] ?? 4);
const rounds = Math.min(10, Number(process.argv[4] ?? 3));

function ticks(tid?: number): number {
  const file = tid === undefined ? '/proc/self/stat' : `/proc/self/task/${tid}/stat`;
  const f = (readFileSync(file, 'utf8').split(') ')[1] ?? '').split(' ');
  return Number(f[11]) + Number(f[12]);
}

const gatewayRequest = (requestId: string): GatewayRequest => ({
  requestId,
  callId: requestId,
  endpoint: 'chat',
  model: 'gpt-4o-mini',
  stream: false,
  estimatedInputTokens: 12,
  signal: new AbortController().signal,
  receivedAt: Date.now(),
});

const callRecord = (requestId: string): CallRecord => ({
  provider: 'openai',
  providerId: 'sim',
  operation: 'chat',
  requestModel: 'gpt-4o-mini',
  responseModel: 'gpt-4o-mini-2024-07-18',
  responseId: `chatcmpl-${requestId}`,
  startTime: Date.now() - 2,
  durationMs: 2,
  streaming: false,
  outcome: 'ok',
  requestId,
  serverAddress: '127.0.0.1',
  serverPort: 41234,
  finishReasons: ['stop'],
  usage: {
    inputTokens: 12,
    outputTokens: 9,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    source: 'provider',
  },
  cost: { inputNanos: 1800n, outputNanos: 5400n, totalNanos: 7200n, priceSource: 'static' },
  unknownPrice: false,
  attributes: { route: 'gpt-4o-mini', keyId: 'key_bench' },
});

async function measure(tracing: boolean, endpoint: string): Promise<void> {
  const t = await createTelemetry({
    metrics: { defaultMetrics: false },
    tracing: { enabled: tracing, endpoint },
  });
  const headers = (i: number) => ({ 'content-type': 'application/json', 'x-request-id': String(i) });
  let n = 0;
  const one = async () => {
    const id = `req-${n++}`;
    const h = headers(n);
    await t.withServerSpan(
      h,
      async () => {
        const req = gatewayRequest(id);
        t.observer.requestStarted(req, h);
        await Promise.resolve();
        t.observer.attemptFinished(callRecord(id), { route: 'gpt-4o-mini', kind: 'primary' });
        t.observer.requestFinished(req, {
          route: 'gpt-4o-mini',
          status: 200,
          durationMs: 3,
          upstreamMs: 2,
          waitMs: 0,
          attempts: [{ targetId: 'sim/gpt-4o-mini', kind: 'primary', outcome: 'ok', durationMs: 2 }],
        });
      },
      { method: 'POST', route: '/v1/chat/completions' },
    );
  };
  // Paced: `rps / 100` requests every 10 ms, as a loaded gateway would make them.
  const run = async (s: number) => {
    const per = Math.max(1, Math.round(rps / 100));
    const end = performance.now() + s * 1000;
    let done = 0;
    while (performance.now() < end) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < per; i++) batch.push(one());
      await Promise.all(batch);
      done += per;
      await sleep(10);
    }
    return done;
  };
  await run(2); // warm-up (JIT)
  for (let r = 1; r <= rounds; r++) {
    const before = ticks();
    const mainBefore = ticks(process.pid);
    const done = await run(seconds);
    const perReq = ((ticks() - before) * TICK_US) / done;
    const mainPerReq = ((ticks(process.pid) - mainBefore) * TICK_US) / done;
    console.log(
      `round ${r} tracing ${tracing ? 'on ' : 'off'} ${done} requests, ${perReq.toFixed(1)} µs CPU/request (main thread ${mainPerReq.toFixed(1)})`,
    );
  }
  await t.shutdown();
  if (tracing) {
    const dropped = (await t.registry.getMetricsAsJSON()).find(
      (m) => m.name === 'switchyard_trace_spans_dropped_total',
    );
    console.log(`spans not exported: ${JSON.stringify(dropped?.values.map((v) => [v.labels.reason, v.value]) ?? [])}`);
  }
}

const sink = await startSink();
try {
  await measure(false, sink.info.url);
  await measure(true, sink.info.url);
} finally {
  await sink.close();
}
