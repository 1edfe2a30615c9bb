// Cache: what a response cache hit costs and how many hits per second one gateway serves. The same chat call to
// `direct` (the simulator itself), Switchyard without a cache (every call goes upstream) and Switchyard with the
// cache on (after the warm-up stores the answer, every call is a hit: auth, rate limits, a zero-cost ledger row
// and the replay, no upstream). Added latency is vs `direct` in the same round.
import type { ChatCall, Contender } from '../contenders/contender.js';
import { direct } from '../contenders/direct-and-bare.js';
import { rotate, startSet } from '../contenders/start-set.js';
import { startSwitchyard } from '../contenders/switchyard.js';
import type { HttpTarget } from '../load/http-target.js';
import { type LoadResult, runLoad } from '../load/run-load.js';
import { fmt, log } from '../progress.js';
import { startUpstreams } from '../servers/start-upstreams.js';
import { round3 } from '../stats/percentiles.js';
import type { CacheEntry, Round, SuiteResult } from '../types.js';
import { CHAT_BODY, CHAT_MODEL, type Suite, type SuiteContext } from './suite.js';

const HIT = 'switchyard-cache-hit';

async function run(ctx: SuiteContext): Promise<SuiteResult<CacheEntry>> {
  const p = ctx.profile.cache;
  const ups = await startUpstreams([{ name: 'chat', provider: 'openai' }]);
  const upstream = { provider: 'openai' as const, origin: ups.info.chat as string, providerId: 'sim' };
  const providers = [{ id: 'sim', provider: 'openai' as const, origin: upstream.origin }];
  // Two Switchyards: names are labels here, the set only needs them to start and close.
  const set = await startSet([
    { name: 'direct', start: async () => direct() },
    { name: 'switchyard', start: () => startSwitchyard({ tracing: false, providers }) },
    {
      name: 'switchyard',
      start: () => startSwitchyard({ tracing: false, providers, cache: { mode: 'all', store: 'memory' } }),
    },
  ]);
  const labelled = set.contenders.map((c, i) => ({ c, label: i === 2 ? HIT : c.name }));
  const call: ChatCall = { upstream, model: CHAT_MODEL, body: CHAT_BODY };
  const rounds: Round<CacheEntry>[] = [];
  try {
    for (let r = 0; r < ctx.profile.rounds; r++) {
      const order = rotate(labelled, r).flatMap(({ c, label }) => {
        const t = c.target(call);
        return t ? [{ c, label, t } as Job] : [];
      });
      const tag = `[cache ${r + 1}/${ctx.profile.rounds}]`;
      for (const j of order) await runLoad(j.t, { connections: 8, durationS: ctx.profile.warmupS });
      for (const j of order) {
        j.c1 = await runLoad(j.t, { connections: 1, durationS: p.c1S });
        j.c32 = await runLoad(j.t, { connections: 32, durationS: p.c32S });
        log(
          `${tag} ${j.label.padEnd(22)} c=1 p50 ${fmt(j.c1.latency.p50_ms)} ms, c=32 ${j.c32.rps} rps p99 ${fmt(j.c32.latency.p99_ms)} ms, err ${j.c1.errors + j.c32.errors}`,
        );
      }
      const base = order.find((j) => j.label === 'direct')?.c1?.latency;
      rounds.push({
        contenders: order.map((j) => {
          const l = j.c1?.latency;
          return {
            name: j.label,
            c1_p50_ms: l?.p50_ms ?? Number.NaN,
            c1_p99_ms: l?.p99_ms ?? Number.NaN,
            added_p50_ms: l && base ? round3(l.p50_ms - base.p50_ms) : Number.NaN,
            added_p99_ms: l && base ? round3(l.p99_ms - base.p99_ms) : Number.NaN,
            c32_rps: j.c32?.rps ?? 0,
            c32_p99_ms: j.c32?.latency.p99_ms ?? Number.NaN,
            errors: (j.c1?.errors ?? 0) + (j.c32?.errors ?? 0),
          };
        }),
      });
    }
  } finally {
    await set.close();
    await ups.close();
  }
  return {
    rounds,
    skipped: set.skipped,
    settings: { ...p, warmupS: ctx.profile.warmupS, upstream: 'openai sim 0 ms', cache: 'memory, mode all' },
  };
}

interface Job {
  c: Contender;
  label: string;
  t: HttpTarget;
  c1?: LoadResult;
  c32?: LoadResult;
}

export const cache: Suite = {
  name: 'cache',
  describe: 'response cache hits: added latency at c=1 and rps at c=32, vs direct and an uncached Switchyard',
  run,
};
