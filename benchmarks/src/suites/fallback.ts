// Fallback: the primary fails (connection refused, 503, hang past the first-byte timeout, or its breaker is
// open) and the secondary serves; latency vs the secondary alone through the same contender, c=1.
import type { ChatCall, Contender, Upstream } from '../contenders/contender.js';
import { standardStarters } from '../contenders/standard.js';
import { rotate, startSet } from '../contenders/start-set.js';
import type { SwitchyardProvider } from '../contenders/switchyard-config.js';
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
type Failing = Exclude<Scenario, 'secondary-alone' | 'breaker-open'>;
const SCENARIOS: Scenario[] = ['secondary-alone', 'refused', '503', 'hang', 'breaker-open'];
const FAILING: Failing[] = ['refused', '503', 'hang'];
/** Upstream each failing primary points at. */
const ORIGIN_OF: Record<Failing, string> = { refused: 'dead', '503': 'f503', hang: 'hang' };
/**
 * Switchyard's breaker (default: open after 5 consecutive failures) would turn a dead primary into "breaker open"
 * after a few requests. To measure a real refused / 503 / timeout fallback with default settings, each scenario
 * rotates over many primaries (distinct provider ids, same dead upstream), PER_PRIMARY requests each: below the
 * threshold, so every measured request really tried the primary first.
 */
const PER_PRIMARY = 4;

const countFor = (s: Scenario, requests: number) => (s === 'hang' ? Math.min(requests, 20) : requests);
const primariesPerRound = (s: Failing, requests: number) => Math.ceil(countFor(s, requests) / PER_PRIMARY);

async function run(ctx: SuiteContext): Promise<SuiteResult<FallbackEntry>> {
  const p = ctx.profile.fallback;
  const ups = await startUpstreams([
    { name: 'ok', provider: 'openai' },
    { name: 'f503', provider: 'openai', scenario: { fault: { kind: 'status', status: 503 } } },
    { name: 'hang', provider: 'openai', scenario: { fault: { kind: 'hang' } } },
  ]);
  const origin = (n: string) => ups.info[n] as string;
  const dead = `http://127.0.0.1:${await freePort()}`; // nothing listens: connection refused
  const ok: Upstream = { provider: 'openai', origin: origin('ok'), providerId: 'ok' };
  const originOf = (s: Failing) => (s === 'refused' ? dead : origin(ORIGIN_OF[s]));
  const providers: SwitchyardProvider[] = [{ id: 'deadb', provider: 'openai', origin: dead }];
  const routes: Record<string, unknown> = {
    'fb-breaker-open': {
      strategy: 'fallback',
      targets: [`deadb/${CHAT_MODEL}`, `ok/${CHAT_MODEL}`],
      retry: { maxAttempts: 1 },
    },
  };
  for (const s of FAILING) {
    for (let k = 0; k < ctx.profile.rounds * primariesPerRound(s, p.requests); k++) {
      const id = `${s}-${k}`;
      providers.push({
        id,
        provider: 'openai',
        origin: originOf(s),
        ...(s === 'hang' ? { timeouts: { firstByteMs: p.firstByteTimeoutMs } } : {}),
      });
      routes[`fb-${id}`] = {
        strategy: 'fallback',
        targets: [`${id}/${CHAT_MODEL}`, `ok/${CHAT_MODEL}`],
        retry: { maxAttempts: 1 },
        ...(s === 'hang' ? { timeouts: { firstByteMs: p.firstByteTimeoutMs } } : {}),
      };
    }
  }
  const starters = standardStarters([ok], ctx, { providers, routes }).filter((st) =>
    ['switchyard', 'switchyard-tracing', 'portkey'].includes(st.name),
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
          const count = countFor(scenario, p.requests);
          const at = (i: number) =>
            targetFor(
              c,
              scenario,
              call,
              r * primariesPerRound(scenario as Failing, p.requests) + Math.floor(i / PER_PRIMARY),
              originOf,
              p.firstByteTimeoutMs,
            );
          if (!at(0)) continue;
          if (scenario === 'secondary-alone' || scenario === 'breaker-open' || c.name === 'portkey') {
            // Warm-up; for breaker-open it also trips the breaker (consecutive failures of the dead primary).
            await runSequential(at(0) as HttpTarget, { count: 10, timeoutMs: 10_000 });
          }
          const samples = await runSequential((i) => at(i) as HttpTarget, {
            count,
            timeoutMs: 10_000,
            deadlineMs: 60_000,
          });
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
    settings: {
      ...p,
      hangRequests: countFor('hang', p.requests),
      retry: 'maxAttempts 1 (fallback only)',
      perPrimary: `${PER_PRIMARY} requests per primary (below the default breaker threshold), rotating primaries`,
    },
  };
}

function targetFor(
  c: Contender,
  scenario: Scenario,
  call: ChatCall,
  primaryIndex: number,
  originOf: (s: Failing) => string,
  timeoutMs: number,
): HttpTarget | undefined {
  if (scenario === 'secondary-alone') return c.target(call);
  if (c.name !== 'portkey') {
    const route = scenario === 'breaker-open' ? 'fb-breaker-open' : `fb-${scenario}-${primaryIndex}`;
    return c.target({ ...call, route });
  }
  if (scenario === 'breaker-open') return undefined; // Portkey OSS has no circuit breaker
  const t = c.target(call);
  if (!t) return undefined;
  const target = (origin: string) => ({ provider: 'openai', custom_host: `${origin}/v1`, api_key: SIM_KEY });
  const config = {
    strategy: { mode: 'fallback' },
    ...(scenario === 'hang' ? { request_timeout: timeoutMs } : {}),
    targets: [target(originOf(scenario)), target(call.upstream.origin)],
  };
  const { 'x-portkey-provider': _p, 'x-portkey-custom-host': _h, ...headers } = t.headers;
  return { ...t, headers: { ...headers, 'x-portkey-config': JSON.stringify(config) } };
}

export const fallback: Suite = {
  name: 'fallback',
  describe: 'dead primary (refused / 503 / hang / breaker open) vs the secondary alone',
  run,
};
