// Memory: RSS of each server process (fresh per round) idle, at peak under c=32 load, its growth over a bounded
// fixed-rate soak (slope of the RSS lower envelope after start-up, MiB/min), and after the load stops.
import type { ChatCall } from '../contenders/contender.js';
import { standardStarters } from '../contenders/standard.js';
import { rotate } from '../contenders/start-set.js';
import { runLoad } from '../load/run-load.js';
import { rssMiB } from '../procs/os-info.js';
import { fmt, log } from '../progress.js';
import { startUpstreams } from '../servers/start-upstreams.js';
import { envelopeSlope, round3 } from '../stats/percentiles.js';
import type { MemoryEntry, Round, SuiteResult } from '../types.js';
import { CHAT_BODY, CHAT_MODEL, type Suite, type SuiteContext } from './suite.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sample RSS every `everyMs` while `during` runs. */
async function sampled<T>(pid: number, everyMs: number, during: Promise<T>) {
  const samples: { t: number; mib: number }[] = [];
  const t0 = performance.now();
  let done = false;
  const loop = (async () => {
    while (!done) {
      samples.push({ t: (performance.now() - t0) / 1000, mib: await rssMiB(pid) });
      await sleep(everyMs);
    }
  })();
  const result = await during.finally(() => {
    done = true;
  });
  await loop;
  return { result, samples };
}

async function run(ctx: SuiteContext): Promise<SuiteResult<MemoryEntry>> {
  const p = ctx.profile.memory;
  const ups = await startUpstreams([{ name: 'openai', provider: 'openai' }]);
  const upstream = { provider: 'openai' as const, origin: ups.info.openai as string, providerId: 'sim' };
  const starters = standardStarters([upstream], ctx).filter((s) => ['bare', 'switchyard', 'portkey'].includes(s.name));
  const call: ChatCall = { upstream, model: CHAT_MODEL, body: CHAT_BODY };
  const rounds: Round<MemoryEntry>[] = [];
  const skipped = new Map<string, string>();
  try {
    for (let r = 0; r < ctx.profile.rounds; r++) {
      const contenders: MemoryEntry[] = [];
      for (const s of rotate(starters, r)) {
        if (skipped.has(s.name)) continue;
        let c: Awaited<ReturnType<typeof s.start>>;
        try {
          c = await s.start();
        } catch (e) {
          skipped.set(s.name, (e as Error).message.split('\n')[0] ?? 'failed to start');
          log(`SKIP ${s.name}: ${skipped.get(s.name)}`);
          continue;
        }
        try {
          const t = c.target(call);
          if (!t || c.pid === undefined) continue;
          const pid = c.pid;
          await sleep(1000);
          const idle = await rssMiB(pid);
          const load = await sampled(pid, p.sampleMs, runLoad(t, { connections: 32, durationS: p.loadS }));
          const soak = await sampled(
            pid,
            p.sampleMs,
            runLoad(t, { connections: 16, durationS: p.soakS, overallRate: p.soakRate }),
          );
          await sleep(p.settleS * 1000);
          const after = await rssMiB(pid);
          const growth = envelopeSlope(soak.samples.map((x) => ({ x: x.t / 60, y: x.mib })));
          const e: MemoryEntry = {
            name: c.name,
            idle_mib: round3(idle),
            load_peak_mib: round3(Math.max(...load.samples.map((x) => x.mib))),
            soak_growth_mib_per_min: round3(growth),
            after_mib: round3(after),
            soak_rps: soak.result.rps,
            errors: load.result.errors + soak.result.errors,
          };
          contenders.push(e);
          log(
            `[memory ${r + 1}/${ctx.profile.rounds}] ${c.name.padEnd(18)} idle ${fmt(idle, 1)} MiB, load peak ${fmt(e.load_peak_mib, 1)}, soak ${fmt(growth, 2)} MiB/min @${soak.result.rps} rps, after ${fmt(after, 1)}`,
          );
        } finally {
          await c.close();
        }
      }
      rounds.push({ contenders });
    }
  } finally {
    await ups.close();
  }
  return {
    rounds,
    skipped: [...skipped].map(([name, reason]) => ({ name, reason })),
    settings: {
      ...p,
      soakSlope: 'lower envelope: minimum RSS of 5 windows after the first 30 % of the soak, least squares',
    },
  };
}

export const memory: Suite = {
  name: 'memory',
  describe: 'RSS idle / under load / growth in a bounded soak / after load (fresh process per round)',
  run,
};
