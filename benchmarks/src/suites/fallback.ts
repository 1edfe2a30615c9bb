// Fallback: the primary fails (connection refused, 503, hang past the first-byte timeout, or its breaker is
// open) and the secondary serves; latency vs the secondary alone through the same contender, c=1.
import type { ChatCall, Contender, Upstream } from '../contenders/contender.js';
import { standardStarters } from '../contenders/standard.js';
import { rotate, startSet } from '../contenders/start-set.js';
import type { HttpTarget } from '../load/http-target.js';
import { runSequential } from '../load/sequential.js';
import { freePort } from '../procs/os-info.js';
import { fmt, log } from '../progress.js';
import { startUpstreams } from '../servers/start-upstreams.js';
import { SIM_KEY } from '../servers/upstreams.js';
import { round3, summarize } from '../stats/percentiles.js';
import type { FallbackEntry, Round, SuiteResult } from '../types.js';
import { CHAT_BODY, CHAT_MODEL, type Suite, type SuiteContext } from './suite.js';

type Scenario = FallbackEntry['scenario'];
const SCENARIOS: Scenario[] = ['secondary-alone', 'refused', '503', 'hang', 'breaker-open'];
/** Primary provider id in Switchyard's config per scenario; the breaker scenario has its own dead target. */
const PRIMARY: Record<Exclude<Scenario, 'secondary-alone'>, string> = {
  refused: 'dead',
  '503': 'f503',
  hang: 'hang',
  'breaker-open': 'deadb',
};

async function run(ctx: SuiteContext): Promise<SuiteResult<FallbackEntry>> {
  const p = ctx.profile.fallback;
  const ups = await startUpstreams([
    { name: 'ok', provider: 'openai' },
    { name: 'f503', provider: 'openai', scenario: { fault: { kind: 'status', status: 503 } } },
    { name: 'hang', provider: 'openai', scenario: { fault: { kind: 'hang' } } },
  ]);
  const origin = (n: string) => ups.info[n] as string;
  const dead = `http://127.0.0.1:${await freePort()}`; // nothing listens: connection refused
  const up = (providerId: string, o: string): Upstream => ({ provider: 'openai', origin: o, providerId });
  const ok = up('ok', origin('ok'));
  const primaries: Record<string, Upstream> = {
    dead: up('dead', dead),
    deadb: up('deadb', dead),
    f503: up('f503', origin('f503')),
    hang: up('hang', origin('hang')),
  };
  const model = `ok/${CHAT_MODEL}`;
  const routes = Object.fromEntries(
    Object.entries(PRIMARY).map(([s, primary]) => [
      `fb-${s}`,
      {
        strategy: 'fallback',
        targets: [`${primary}/${CHAT_MODEL}`, model],
        retry: { maxAttempts: 1 },
        ...(s === 'hang' ? { timeouts: { firstByteMs: p.firstByteTimeoutMs } } : {}),
      },
    ]),
  );
  const providers = Object.values(primaries).map((u) => ({
    id: u.providerId,
    provider: u.provider,
    origin: u.origin,
    ...(u.providerId === 'hang' ? { timeouts: { firstByteMs: p.firstByteTimeoutMs } } : {}),
  }));
  const starters = standardStarters([ok], ctx, { providers, routes }).filter((s) =>
    ['switchyard', 'switchyard-tracing', 'portkey'].includes(s.name),
  );
  const set = await startSet(starters);
  const call: ChatCall = { upstream: ok, model: CHAT_MODEL, body: CHAT_BODY };
  const rounds: Round<FallbackEntry>[] = [];
  try {
    for (let r = 0; r < ctx.profile.rounds; r++) {
      const entries: FallbackEntry[] = [];
      for (const c of rotate(set.contenders, r)) {
        let base: { p50_ms: number; p99_ms: number } | undefined;
        for (const scenario of SCENARIOS) {
          const t = targetFor(c, scenario, call, primaries, p.firstByteTimeoutMs);
          if (!t) continue;
          const count = scenario === 'hang' ? Math.min(p.requests, 20) : p.requests;
          // Warm-up; for breaker-open it also trips the breaker (consecutive failures of the dead primary).
          await runSequential(t, { count: 10, timeoutMs: 10_000 });
          const samples = await runSequential(t, { count, timeoutMs: 10_000, deadlineMs: 60_000 });
          const good = samples.filter((s) => s.status === 200).map((s) => s.ms);
          const lat = summarize(good);
          if (scenario === 'secondary-alone') base = lat;
          const entry: FallbackEntry = {
            name: c.name,
            scenario,
            p50_ms: lat.p50_ms,
            p99_ms: lat.p99_ms,
            added_p50_ms: base ? round3(lat.p50_ms - base.p50_ms) : Number.NaN,
            added_p99_ms: base ? round3(lat.p99_ms - base.p99_ms) : Number.NaN,
            errors: samples.length - good.length,
            count: samples.length,
          };
          entries.push(entry);
          log(
            `[fallback ${r + 1}/${ctx.profile.rounds}] ${c.name.padEnd(18)} ${scenario.padEnd(15)} p50 ${fmt(lat.p50_ms)} (+${fmt(entry.added_p50_ms)}) p99 ${fmt(lat.p99_ms)} ms, errors ${entry.errors}/${samples.length}`,
          );
        }
      }
      rounds.push({ contenders: entries });
    }
  } finally {
    await set.close();
    await ups.close();
  }
  return {
    rounds,
    skipped: [...set.skipped, { name: 'portkey', reason: 'breaker-open: Portkey OSS has no circuit breaker' }],
    settings: { ...p, hangRequests: Math.min(p.requests, 20), retry: 'maxAttempts 1 (fallback only)' },
  };
}

function targetFor(
  c: Contender,
  scenario: Scenario,
  call: ChatCall,
  primaries: Record<string, Upstream>,
  timeoutMs: number,
): HttpTarget | undefined {
  if (scenario === 'secondary-alone') return c.target(call);
  if (c.name === 'portkey') {
    if (scenario === 'breaker-open') return undefined;
    const t = c.target(call);
    if (!t) return undefined;
    const primary = primaries[PRIMARY[scenario]] as Upstream;
    const target = (u: Upstream) => ({ provider: 'openai', custom_host: `${u.origin}/v1`, api_key: SIM_KEY });
    const config = {
      strategy: { mode: 'fallback' },
      ...(scenario === 'hang' ? { request_timeout: timeoutMs } : {}),
      targets: [target(primary), target(call.upstream)],
    };
    const { 'x-portkey-provider': _p, 'x-portkey-custom-host': _h, ...headers } = t.headers;
    return { ...t, headers: { ...headers, 'x-portkey-config': JSON.stringify(config) } };
  }
  return c.target({ ...call, route: `fb-${scenario}` });
}

export const fallback: Suite = {
  name: 'fallback',
  describe: 'dead primary (refused / 503 / hang / breaker open) vs the secondary alone',
  run,
};
