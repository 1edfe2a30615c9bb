// Overhead: added latency at c=1, throughput and p99 at c=32, and the throughput frontier, vs `direct`.
import type { ChatCall, Contender } from '../contenders/contender.js';
import { standardStarters } from '../contenders/standard.js';
import { rotate, startSet } from '../contenders/start-set.js';
import type { HttpTarget } from '../load/http-target.js';
import { type LoadResult, poolLoads, runLoad } from '../load/run-load.js';
import { warmUntilSteady } from '../load/warm-until-steady.js';
import { fmt, log } from '../progress.js';
import { startUpstreams } from '../servers/start-upstreams.js';
import { round3 } from '../stats/percentiles.js';
import type { FrontierStep, OverheadEntry, Round, SuiteResult } from '../types.js';
import { frontierOf, keepClimbing, MIN_RATE_SHARE } from './frontier.js';
import { CHAT_BODY, CHAT_MODEL, type Suite, type SuiteContext } from './suite.js';

/** Longest warm-up per contender and round (1 s steps), when throughput never settles. */
const WARM_MAX_S = 10;
/** Turns the c=1 and c=32 measurements are split into (see `interleaved`). */
const SLICES = 3;

type Measured = { c: Contender; t: HttpTarget; c1?: LoadResult; c32?: LoadResult; steps: FrontierStep[] };

async function run(ctx: SuiteContext): Promise<SuiteResult<OverheadEntry>> {
  const p = ctx.profile.overhead;
  const ups = await startUpstreams([{ name: 'chat', provider: 'openai' }]);
  const upstream = { provider: 'openai' as const, origin: ups.info.chat as string, providerId: 'sim' };
  const set = await startSet(standardStarters([upstream], ctx));
  const call: ChatCall = { upstream, model: CHAT_MODEL, body: CHAT_BODY };
  const rounds: Round<OverheadEntry>[] = [];
  try {
    for (let r = 0; r < ctx.profile.rounds; r++) {
      const order: Measured[] = rotate(set.contenders, r).flatMap((c) => {
        const t = c.target(call);
        return t ? [{ c, t, steps: [] }] : [];
      });
      const tag = `[overhead ${r + 1}/${ctx.profile.rounds}]`;
      // Warm at the highest concurrency measured, until throughput has settled: a first c=32 run otherwise pays
      // every process's new connections (client → proxy → upstream) and its JIT warm-up inside the measured
      // window (issue #15). Later rounds settle in a few steps.
      for (const m of order) {
        const steps = await warmUntilSteady(m.t, { connections: 32, minS: ctx.profile.warmupS, maxS: WARM_MAX_S });
        if (r === 0) log(`${tag} ${m.c.name.padEnd(18)} warm-up c=32 rps per second: ${steps.join(' ')}`);
      }
      const c1 = await interleaved(order, 1, p.c1S);
      for (const m of order) {
        m.c1 = c1.get(m);
        log(`${tag} ${m.c.name.padEnd(18)} c=1  p50 ${fmt(m.c1?.latency.p50_ms)} p99 ${fmt(m.c1?.latency.p99_ms)} ms`);
      }
      const c32 = await interleaved(order, 32, p.c32S);
      for (const m of order) {
        m.c32 = c32.get(m);
        log(
          `${tag} ${m.c.name.padEnd(18)} c=32 ${m.c32?.rps} rps p99 ${fmt(m.c32?.latency.p99_ms)} ms err ${m.c32?.errors}`,
        );
      }
      await climbFrontier(order, p.frontierRates, p.frontierStepS, tag);
      rounds.push({ contenders: order.map(toEntry(order)) });
    }
  } finally {
    await set.close();
    await ups.close();
  }
  return {
    rounds,
    skipped: set.skipped,
    settings: {
      ...p,
      measured: `c=1 and c=32 each in ${SLICES} slices per contender, the contenders taking turns (rotated each turn), slices pooled`,
      warmup: `c=32 in 1 s steps until two agree within 10 % (at least ${ctx.profile.warmupS} s, at most ${WARM_MAX_S} s)`,
      upstream: 'openai sim 0 ms',
    },
  };
}

/**
 * `durationS` of load per contender, run as SLICES turns with the contenders taking turns (rotated each turn) and
 * each one's slices pooled: a box whose speed drifts for a few seconds (another process, the host) then slows every
 * contender alike instead of whichever ran at that moment. On this 2-core box bare's c=32 rps swung 6,170 ↔ 10,037
 * between two rounds run back to back, and a ratio goal reads that swing as the gateway's.
 */
async function interleaved(order: Measured[], connections: number, durationS: number) {
  const parts = new Map<Measured, LoadResult[]>(order.map((m) => [m, []]));
  for (let k = 0; k < SLICES; k++) {
    for (const m of rotate(order, k)) {
      parts.get(m)?.push(await runLoad(m.t, { connections, durationS: durationS / SLICES }));
    }
  }
  return new Map([...parts].map(([m, runs]) => [m, poolLoads(runs)]));
}

/** Step every contender up the rate ladder together; each stops once it no longer qualifies. */
async function climbFrontier(order: Measured[], rates: number[], stepS: number, tag: string): Promise<void> {
  const direct = order.find((m) => m.c.name === 'direct');
  if (!direct) return;
  let climbing = order.filter((m) => m.c.name !== 'direct');
  for (const rate of rates) {
    if (climbing.length === 0) break;
    const base = await runLoad(direct.t, { connections: 32, durationS: stepS, overallRate: rate });
    const baseStep = step(rate, base, base.latency.p99_ms);
    direct.steps.push(baseStep);
    if (base.errors > 0 || base.rps < MIN_RATE_SHARE * rate) {
      log(`${tag} frontier: direct itself cannot sustain ${rate} rps (${base.rps}); stopping the ladder`);
      break;
    }
    for (const m of climbing) {
      const res = await runLoad(m.t, { connections: 32, durationS: stepS, overallRate: rate });
      const s = step(rate, res, base.latency.p99_ms);
      m.steps.push(s);
      log(`${tag} ${m.c.name.padEnd(18)} @${rate}/s: ${res.rps} rps p99 +${fmt(s.added_p99_ms)} ms err ${res.errors}`);
    }
    climbing = climbing.filter((m) => keepClimbing(m.steps[m.steps.length - 1] as FrontierStep));
  }
}

function step(rate: number, res: LoadResult, directP99: number): FrontierStep {
  return {
    rate,
    rps: res.rps,
    p99_ms: res.latency.p99_ms,
    added_p99_ms: round3(res.latency.p99_ms - directP99),
    errors: res.errors,
  };
}

const toEntry =
  (order: Measured[]) =>
  (m: Measured): OverheadEntry => {
    const base = order.find((o) => o.c.name === 'direct')?.c1?.latency;
    const c1 = m.c1?.latency;
    const added = (k: 'p50_ms' | 'p90_ms' | 'p99_ms') => (c1 && base ? round3(c1[k] - base[k]) : Number.NaN);
    return {
      name: m.c.name,
      c1: {
        p50_ms: c1?.p50_ms ?? Number.NaN,
        p90_ms: c1?.p90_ms ?? Number.NaN,
        p99_ms: c1?.p99_ms ?? Number.NaN,
        added_p50_ms: added('p50_ms'),
        added_p90_ms: added('p90_ms'),
        added_p99_ms: added('p99_ms'),
      },
      c32: {
        rps: m.c32?.rps ?? 0,
        p50_ms: m.c32?.latency.p50_ms ?? Number.NaN,
        p99_ms: m.c32?.latency.p99_ms ?? Number.NaN,
      },
      errors: (m.c1?.errors ?? 0) + (m.c32?.errors ?? 0),
      frontier: m.c.name === 'direct' ? undefined : frontierOf(m.steps),
      frontier_steps: m.steps,
    };
  };

export const overhead: Suite = {
  name: 'overhead',
  describe: 'added latency at c=1, rps and p99 at c=32, throughput frontier (p99 added < 1/5/10 ms)',
  run,
};
