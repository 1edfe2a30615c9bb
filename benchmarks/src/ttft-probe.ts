// `pnpm exec tsx benchmarks/src/ttft-probe.ts [bare,switchyard] [samples] [pauseMs]`: streaming time to first
// body byte, one stream at a time, the contenders interleaved stream by stream (direct, bare, switchyard, direct,
// …) with `pauseMs` between streams (as between chunks of steady traffic), so a busy box's noise lands on every
// contender alike and the p50 of a few hundred samples is steady where the streaming suite's few are not.
// Contenders as in cpu-per-request.ts (switchyard-variants.ts: `switchyard-dist` and `switchyard-tsx` compare built
// and source in one run, `switchyard-base` another build for an A/B).
import { Agent } from 'undici';
import type { Contender } from './contenders/contender.js';
import { direct, startBare } from './contenders/direct-and-bare.js';
import { startSwitchyard } from './contenders/switchyard.js';
import { switchyardVariants } from './contenders/switchyard-variants.js';
import type { HttpTarget } from './load/http-target.js';
import { runLoad } from './load/run-load.js';
import { startSteadyTraffic } from './load/steady-traffic.js';
import { oneStream } from './load/stream-run.js';
import { startUpstreams } from './servers/start-upstreams.js';
import { summarize } from './stats/percentiles.js';
import { CHAT_BODY, CHAT_MODEL } from './suites/suite.js';

const names = (process.argv[2] ?? 'bare,switchyard').split(',');
const SWITCHYARDS = switchyardVariants();
const samples = Math.min(2000, Number(process.argv[3] ?? 300));
const pauseMs = Number(process.argv[4] ?? 20);
// `steady` as the 5th argument: each contender serves steady background calls while measured (see steady-traffic.ts).
const steady = process.argv[5] === 'steady';
const WARM_STREAMS = 300;
// Short streams: only the first byte is measured.
const ups = await startUpstreams([
  { name: 'chat', provider: 'openai', scenario: { chunks: 4, outputTokens: 4, chunkDelayMs: 5 } },
]);
const upstream = { provider: 'openai' as const, origin: ups.info.chat as string, providerId: 'sim' };
const contenders: Contender[] = [direct()];
const labels = new Map<Contender, string>();
try {
  for (const name of names) {
    if (name === 'bare') contenders.push(await startBare(upstream.origin));
    else if (SWITCHYARDS[name]) {
      const c = await startSwitchyard({
        ...SWITCHYARDS[name],
        providers: [{ id: upstream.providerId, provider: upstream.provider, origin: upstream.origin }],
      });
      contenders.push(c);
      labels.set(c, name);
    } else throw new Error(`unknown contender ${name} (bare, ${Object.keys(SWITCHYARDS).join(', ')})`);
  }
  const body = { ...CHAT_BODY, stream: true, stream_options: { include_usage: true } };
  const targets = contenders.map((c) => {
    const stream = c.target({ upstream, model: CHAT_MODEL, body });
    const json = c.target({ upstream, model: CHAT_MODEL, body: CHAT_BODY });
    if (!stream || !json) throw new Error(`${c.name}: no target`);
    return { name: labels.get(c) ?? c.name, stream, json, ttft: [] as number[] };
  });
  const dispatcher = new Agent({ connections: 4, keepAliveTimeout: 30_000 });
  const pause = () => new Promise((r) => setTimeout(r, pauseMs));
  const one = (t: HttpTarget) => oneStream(dispatcher, t, 10_000);
  try {
    // Warm every server's request and stream paths (JIT) before anything is recorded.
    for (const t of targets) await runLoad(t.json, { connections: 8, durationS: 2 });
    for (let i = 0; i < WARM_STREAMS; i++) for (const t of targets) await one(t.stream);
    for (let i = 0; i < samples; i++) {
      for (const t of targets) {
        const bg = steady ? startSteadyTraffic(t.json, 2) : undefined;
        await pause();
        t.ttft.push((await one(t.stream)).ttft);
        await bg?.stop();
      }
    }
  } finally {
    await dispatcher.close();
  }
  const base = summarize(targets[0]?.ttft ?? []).p50_ms;
  for (const t of targets) {
    const s = summarize(t.ttft);
    console.log(
      `${t.name.padEnd(16)} TTFT p50 ${s.p50_ms.toFixed(3)} ms (added ${(s.p50_ms - base).toFixed(3)}), p90 ${s.p90_ms.toFixed(3)}, p99 ${s.p99_ms.toFixed(3)}, n ${t.ttft.length}`,
    );
  }
} finally {
  for (const c of contenders) await c.close();
  await ups.close();
}
