// `pnpm exec tsx benchmarks/src/cpu-per-request.ts [bare,switchyard] [rounds] [stream]`: CPU time each proxy process spends
// per chat request (utime + stime from /proc/<pid>/stat over a fixed c=8 load, and the main thread's alone), the figure that stays readable on
// a loaded box where wall-clock rps and latency are noise. Linux only; prints one line per contender and round.
// `switchyard` runs the built dist (BENCH_RUNTIME=tsx: from source); `switchyard-dist` / `switchyard-tsx` pick one,
// so both can be compared in one run; `switchyard-tracing` is the built dist with OTLP/HTTP tracing on (to a discard
// sink, as the bench's contender). `stream`: the same call with `stream: true` (the streaming path).
// `switchyard-base` / `switchyard-base-tracing`: another build (switchyard-variants.ts), so a change is measured A/B
// in the same run.
import { readFileSync } from 'node:fs';
import type { Contender } from './contenders/contender.js';
import { startBare } from './contenders/direct-and-bare.js';
import { startSwitchyard } from './contenders/switchyard.js';
import { switchyardVariants } from './contenders/switchyard-variants.js';
import { runLoad } from './load/run-load.js';
import { startUpstreams } from './servers/start-upstreams.js';
import { CHAT_BODY, CHAT_MODEL } from './suites/suite.js';

const TICK_US = 10_000; // USER_HZ is 100 on Linux
const LOAD_S = 4;

/** utime + stime of a process (all threads), or of one of its threads, in clock ticks. */
function cpuTicks(pid: number, tid?: number): number {
  const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  const fields = (readFileSync(file, 'utf8').split(') ')[1] ?? '').split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const SWITCHYARDS = switchyardVariants();
const names = (process.argv[2] ?? 'bare,switchyard').split(',');
const rounds = Math.min(10, Number(process.argv[3] ?? 2));
const ups = await startUpstreams([{ name: 'chat', provider: 'openai' }]);
const upstream = { provider: 'openai' as const, origin: ups.info.chat as string, providerId: 'sim' };
const body = process.argv[4] === 'stream' ? { ...CHAT_BODY, stream: true } : CHAT_BODY;
const call = { upstream, model: CHAT_MODEL, body };
const contenders: Contender[] = [];
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
  const targets = contenders.map((c) => {
    const t = c.target(call);
    if (!t || c.pid === undefined) throw new Error(`${c.name}: no target`);
    return { c, t, pid: c.pid };
  });
  for (const { t } of targets) await runLoad(t, { connections: 8, durationS: 3 }); // warm-up (JIT)
  for (let r = 1; r <= rounds; r++) {
    // Turns alternate direction each round, so drift on a busy box lands on every contender alike.
    for (const { c, t, pid } of r % 2 === 1 ? targets : [...targets].reverse()) {
      // The main thread (tid = pid) is what caps a Node proxy's throughput; the rest is GC, libuv and workers.
      const before = cpuTicks(pid);
      const mainBefore = cpuTicks(pid, pid);
      const res = await runLoad(t, { connections: 8, durationS: LOAD_S });
      const requests = Math.max(1, res.rps * LOAD_S);
      const perReq = ((cpuTicks(pid) - before) * TICK_US) / requests;
      const mainPerReq = ((cpuTicks(pid, pid) - mainBefore) * TICK_US) / requests;
      console.log(
        `round ${r} ${(labels.get(c) ?? c.name).padEnd(15)} ${res.rps} rps, ${perReq.toFixed(0)} µs CPU/request (main thread ${mainPerReq.toFixed(0)}), errors ${res.errors}`,
      );
    }
  }
} finally {
  for (const c of contenders) await c.close();
  await ups.close();
}
