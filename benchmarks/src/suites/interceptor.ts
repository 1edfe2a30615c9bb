// Interceptor: the official `openai` client, bare vs wrapped by core's instrument(), in this process.
// Two transports: the simulator over loopback (what a user sees), and the simulator's recorded answers replayed
// from memory (instrument()'s own cost, without loopback noise — the one the goal is judged on).
// Calls alternate in blocks, and the block order alternates, so drift (GC, neighbours) hits both variants alike.
import { fmt, log } from '../progress.js';
import { startUpstreams } from '../servers/start-upstreams.js';
import { summarize } from '../stats/percentiles.js';
import type { InterceptorEntry, Latency, Round, SuiteResult } from '../types.js';
import { clientPair, type Mode, oneCall, otelProviders, replayFetch } from './interceptor-clients.js';
import type { Suite, SuiteContext } from './suite.js';

type Pair = ReturnType<typeof clientPair>;
type Transport = InterceptorEntry['transport'];

async function measure(pair: Pair, mode: Mode, calls: number, block: number, flip: boolean) {
  const times = { bare: [] as number[], wrapped: [] as number[] };
  const errors = { bare: 0, wrapped: 0 };
  for (let i = 0; i < Math.min(200, calls); i++) await oneCall(i % 2 ? pair.bare : pair.wrapped, mode); // warm-up
  for (let done = 0, b = 0; done < calls; done += block, b++) {
    const order = (b % 2 === 0) !== flip ? (['bare', 'wrapped'] as const) : (['wrapped', 'bare'] as const);
    for (const v of order) {
      for (let i = 0; i < Math.min(block, calls - done); i++) {
        const t0 = performance.now();
        try {
          await oneCall(pair[v], mode);
          times[v].push((performance.now() - t0) * 1000); // µs
        } catch {
          errors[v]++;
        }
      }
    }
  }
  return { bare: summarize(times.bare), wrapped: summarize(times.wrapped), errors };
}

function entries(transport: Transport, mode: Mode, m: Awaited<ReturnType<typeof measure>>): InterceptorEntry[] {
  const one = (name: InterceptorEntry['name'], s: Latency, errors: number): InterceptorEntry => ({
    name,
    transport,
    mode,
    mean_us: Math.round(s.mean_ms * 10) / 10, // summarize() got µs, so its "_ms" fields are µs here
    p50_us: Math.round(s.p50_ms * 10) / 10,
    added_mean_us: Math.round((s.mean_ms - m.bare.mean_ms) * 10) / 10,
    added_p50_us: Math.round((s.p50_ms - m.bare.p50_ms) * 10) / 10,
    calls: s.count,
    errors,
  });
  return [one('openai-sdk', m.bare, m.errors.bare), one('openai-sdk-instrumented', m.wrapped, m.errors.wrapped)];
}

async function run(ctx: SuiteContext): Promise<SuiteResult<InterceptorEntry>> {
  const p = ctx.profile.interceptor;
  const otel = otelProviders();
  const ups = await startUpstreams([{ name: 'openai', provider: 'openai' }]);
  const baseURL = `${ups.info.openai}/v1`;
  const pairs: Record<Transport, Pair> = {
    simulator: clientPair(baseURL, otel),
    replay: clientPair(baseURL, otel, await replayFetch(baseURL)),
  };
  const rounds: Round<InterceptorEntry>[] = [];
  try {
    for (let r = 0; r < ctx.profile.rounds; r++) {
      const contenders: InterceptorEntry[] = [];
      for (const transport of ['simulator', 'replay'] as const) {
        for (const mode of ['json', 'stream'] as const) {
          const calls = (transport === 'replay' ? 5 : 1) * (mode === 'json' ? p.calls : Math.ceil(p.calls / 4));
          const m = await measure(pairs[transport], mode, calls, p.block, r % 2 === 1);
          contenders.push(...entries(transport, mode, m));
          log(
            `[interceptor ${r + 1}/${ctx.profile.rounds}] ${transport.padEnd(9)} ${mode.padEnd(6)} bare ${fmt(m.bare.mean_ms, 1)} µs, instrumented ${fmt(m.wrapped.mean_ms, 1)} µs (+${fmt(m.wrapped.mean_ms - m.bare.mean_ms, 1)} mean, +${fmt(m.wrapped.p50_ms - m.bare.p50_ms, 1)} p50)`,
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
      callsPerVariant: 'json: calls, stream: calls/4; replay transport ×5',
      otel: 'BasicTracerProvider + BatchSpanProcessor → discard; MeterProvider + PeriodicExportingMetricReader',
    },
  };
}

export const interceptor: Suite = {
  name: 'interceptor',
  describe: 'instrument()-wrapped vs bare official openai client, µs per call (simulator and in-memory replay)',
  run,
};
