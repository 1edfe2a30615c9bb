// Interceptor: the official `openai` client, bare vs wrapped by core's instrument() (real OTel SDK providers, and
// the API's no-op ones) vs a minimal hand-written OTel instrumentation of the same call (otel-manual.ts), in this
// process.
// Two transports: the simulator over loopback (what a user sees), and the simulator's recorded answers replayed
// from memory (instrument()'s own cost, without loopback noise — the one the goal is judged on).
// Calls alternate in blocks, in a new seeded order every block, so drift (GC, neighbours) hits every variant alike.
import { loadCore, switchyardRuntime } from '../contenders/switchyard-runtime.js';
import { fmt, log } from '../progress.js';
import { startUpstreams } from '../servers/start-upstreams.js';
import { percentileSorted, summarize } from '../stats/percentiles.js';
import { seededRandom, shuffled } from '../stats/shuffle.js';
import type { InterceptorEntry, Latency, Round, SuiteResult } from '../types.js';
import { clientPair, type Mode, oneCall, otelProviders, replayFetch } from './interceptor-clients.js';
import { manualInstrumentation } from './otel-manual.js';
import type { Suite, SuiteContext } from './suite.js';

type Pair = ReturnType<typeof clientPair>;

const median = (xs: number[]) => percentileSorted(Float64Array.from(xs).sort(), 50);
type Transport = InterceptorEntry['transport'];
type Call = (mode: Mode) => Promise<void>;

/** The variants measured, in entry order; the first is the baseline every `added_*` is relative to. */
const VARIANTS = [
  ['openai-sdk', 'bare'],
  ['openai-sdk-instrumented', 'wrapped'],
  ['openai-sdk-otel-manual', 'manual'],
  ['openai-sdk-instrumented-noop', 'noop'],
] as const satisfies readonly (readonly [InterceptorEntry['name'], string])[];
type Variant = (typeof VARIANTS)[number][1];

function calls(pair: Pair, manual: ReturnType<typeof manualInstrumentation>): Record<Variant, Call> {
  return {
    bare: (mode) => oneCall(pair.bare, mode),
    wrapped: (mode) => oneCall(pair.wrapped, mode),
    manual: (mode) => manual(pair.bare, mode),
    noop: (mode) => oneCall(pair.noop, mode),
  };
}

async function measure(variants: Record<Variant, Call>, mode: Mode, calls: number, block: number, seed: number) {
  const random = seededRandom(seed);
  const names = VARIANTS.map(([, v]) => v);
  const times = Object.fromEntries(names.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
  const errors = Object.fromEntries(names.map((v) => [v, 0])) as Record<Variant, number>;
  // Each block's mean per variant (µs), by block index: blocks of one index run back to back.
  const blockMeans = Object.fromEntries(names.map((v) => [v, [] as number[]])) as Record<Variant, number[]>;
  for (let i = 0; i < Math.min(200, calls); i++) await variants[names[i % names.length] as Variant](mode); // warm-up
  for (let done = 0; done < calls; done += block) {
    // A new (seeded) block order every block: drift hits every variant alike, and no variant always runs right
    // after the same one (in the rotated order it replaced, the no-op variant always followed a real-SDK one, whose
    // collections then land on its calls, and `bare` mostly followed the no-op one).
    for (const v of shuffled(names, random)) {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < Math.min(block, calls - done); i++) {
        const t0 = performance.now();
        try {
          await variants[v](mode);
          const us = (performance.now() - t0) * 1000;
          times[v].push(us);
          sum += us;
          n++;
        } catch {
          errors[v]++;
        }
      }
      blockMeans[v].push(n === 0 ? Number.NaN : sum / n);
    }
  }
  const stats = Object.fromEntries(names.map((v) => [v, summarize(times[v])])) as Record<Variant, Latency>;
  const bare = blockMeans.bare;
  const blockMedian = Object.fromEntries(
    names.map((v) => [v, median(blockMeans[v].map((m, b) => m - (bare[b] ?? Number.NaN)).filter(Number.isFinite))]),
  ) as Record<Variant, number>;
  return { stats, errors, blockMedian };
}

function entries(transport: Transport, mode: Mode, m: Awaited<ReturnType<typeof measure>>): InterceptorEntry[] {
  const bare = m.stats.bare;
  return VARIANTS.map(([name, v]) => {
    const s = m.stats[v];
    return {
      name,
      transport,
      mode,
      mean_us: Math.round(s.mean_ms * 10) / 10, // summarize() got µs, so its "_ms" fields are µs here
      p50_us: Math.round(s.p50_ms * 10) / 10,
      added_mean_us: Math.round((s.mean_ms - bare.mean_ms) * 10) / 10,
      added_p50_us: Math.round((s.p50_ms - bare.p50_ms) * 10) / 10,
      added_block_median_us: Math.round(m.blockMedian[v] * 10) / 10,
      calls: s.count,
      errors: m.errors[v],
    };
  });
}

async function run(ctx: SuiteContext): Promise<SuiteResult<InterceptorEntry>> {
  const p = ctx.profile.interceptor;
  const core = await loadCore(log);
  const otel = otelProviders();
  const ups = await startUpstreams([{ name: 'openai', provider: 'openai' }]);
  const baseURL = `${ups.info.openai}/v1`;
  const manual = manualInstrumentation(core, otel, baseURL);
  const variants: Record<Transport, Record<Variant, Call>> = {
    simulator: calls(clientPair(core, baseURL, otel), manual),
    replay: calls(clientPair(core, baseURL, otel, await replayFetch(baseURL)), manual),
  };
  const rounds: Round<InterceptorEntry>[] = [];
  try {
    for (let r = 0; r < ctx.profile.rounds; r++) {
      const contenders: InterceptorEntry[] = [];
      for (const transport of ['simulator', 'replay'] as const) {
        for (const mode of ['json', 'stream'] as const) {
          const n = (transport === 'replay' ? 5 : 1) * (mode === 'json' ? p.calls : Math.ceil(p.calls / 4));
          const m = await measure(variants[transport], mode, n, p.block, r + 1);
          contenders.push(...entries(transport, mode, m));
          const { bare, wrapped, manual: hand, noop } = m.stats;
          const plus = (s: Latency, v: Variant) =>
            `+${fmt(s.mean_ms - bare.mean_ms, 1)} (block median +${fmt(m.blockMedian[v], 1)})`;
          log(
            `[interceptor ${r + 1}/${ctx.profile.rounds}] ${transport.padEnd(9)} ${mode.padEnd(6)} bare ${fmt(bare.mean_ms, 1)} µs; mean added: instrumented ${plus(wrapped, 'wrapped')}, otel-manual ${plus(hand, 'manual')}, instrumented no-op ${plus(noop, 'noop')} µs`,
          );
        }
      }
      rounds.push({ contenders });
    }
  } finally {
    await ups.close();
    await otel.shutdown();
  }
  return {
    rounds,
    skipped: [],
    settings: {
      ...p,
      core: switchyardRuntime() === 'dist' ? '@switchyard/core built dist' : '@switchyard/core source (tsx)',
      callsPerVariant: 'json: calls, stream: calls/4; replay transport ×5',
      judged:
        'added_block_median_us: per block, the variant mean minus the bare mean of the same block index; median over blocks',
      otel: 'BasicTracerProvider + BatchSpanProcessor → discard; MeterProvider + PeriodicExportingMetricReader',
      variants:
        'openai-sdk (bare), -instrumented (instrument() with those providers), -otel-manual (hand-written span + metric points, suites/otel-manual.ts), -instrumented-noop (instrument() with the API no-op providers)',
    },
  };
}

export const interceptor: Suite = {
  name: 'interceptor',
  describe: 'instrument()-wrapped vs bare official openai client, µs per call (simulator and in-memory replay)',
  run,
};
