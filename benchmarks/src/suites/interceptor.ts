// Interceptor: the official `openai` client, bare vs wrapped by core's instrument(), against the simulator, in
// this process, with a real OTel tracer provider registered (spans are built and exported to a discard sink).
// Calls alternate in blocks so drift (GC, neighbours) hits both variants alike.
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { fmt, log } from '../progress.js';
import { startUpstreams } from '../servers/start-upstreams.js';
import { SIM_KEY } from '../servers/upstreams.js';
import { summarize } from '../stats/percentiles.js';
import type { InterceptorEntry, Round, SuiteResult } from '../types.js';
import { CHAT_BODY, CHAT_MODEL, type Suite, type SuiteContext } from './suite.js';

type Instrument = <T extends object>(client: T) => T;

const discard: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

async function loadInstrument(): Promise<Instrument> {
  const core = (await import('@switchyard/core')) as unknown as Record<string, unknown>;
  if (typeof core.instrument !== 'function') throw new Error('instrument() is not exported by @switchyard/core');
  return core.instrument as Instrument;
}

async function oneCall(client: OpenAI, mode: InterceptorEntry['mode']): Promise<void> {
  if (mode === 'json') {
    await client.chat.completions.create({ model: CHAT_MODEL, ...CHAT_BODY, messages: [...CHAT_BODY.messages] });
    return;
  }
  const stream = await client.chat.completions.create({
    model: CHAT_MODEL,
    ...CHAT_BODY,
    messages: [...CHAT_BODY.messages],
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const _chunk of stream) {
    // drain
  }
}

async function run(ctx: SuiteContext): Promise<SuiteResult<InterceptorEntry>> {
  const p = ctx.profile.interceptor;
  const instrument = await loadInstrument();
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] });
  trace.setGlobalTracerProvider(provider);
  const ups = await startUpstreams([{ name: 'openai', provider: 'openai' }]);
  const baseURL = `${ups.info.openai}/v1`;
  const bare = new OpenAI({ apiKey: SIM_KEY, baseURL, maxRetries: 0 });
  const wrapped = instrument(new OpenAI({ apiKey: SIM_KEY, baseURL, maxRetries: 0 }));
  const rounds: Round<InterceptorEntry>[] = [];
  try {
    for (let r = 0; r < ctx.profile.rounds; r++) {
      const contenders: InterceptorEntry[] = [];
      for (const mode of ['json', 'stream'] as const) {
        const calls = mode === 'json' ? p.calls : Math.ceil(p.calls / 4);
        const times = { bare: [] as number[], wrapped: [] as number[] };
        const errors = { bare: 0, wrapped: 0 };
        for (let i = 0; i < Math.min(200, calls); i++) await oneCall(i % 2 ? bare : wrapped, mode); // warm-up
        for (let done = 0, b = 0; done < calls; done += p.block, b++) {
          const order = (b + r) % 2 === 0 ? (['bare', 'wrapped'] as const) : (['wrapped', 'bare'] as const);
          for (const v of order) {
            const client = v === 'bare' ? bare : wrapped;
            for (let i = 0; i < Math.min(p.block, calls - done); i++) {
              const t0 = performance.now();
              try {
                await oneCall(client, mode);
                times[v].push((performance.now() - t0) * 1000);
              } catch {
                errors[v]++;
              }
            }
          }
        }
        const sb = summarize(times.bare);
        const sw = summarize(times.wrapped);
        const entry = (name: InterceptorEntry['name'], s: typeof sb, n: number, err: number): InterceptorEntry => ({
          name,
          mode,
          mean_us: Math.round(s.mean_ms * 10) / 10,
          p50_us: Math.round(s.p50_ms * 10) / 10,
          added_mean_us: Math.round((s.mean_ms - sb.mean_ms) * 10) / 10,
          added_p50_us: Math.round((s.p50_ms - sb.p50_ms) * 10) / 10,
          calls: n,
          errors: err,
        });
        contenders.push(entry('openai-sdk', sb, times.bare.length, errors.bare));
        contenders.push(entry('openai-sdk-instrumented', sw, times.wrapped.length, errors.wrapped));
        log(
          `[interceptor ${r + 1}/${ctx.profile.rounds}] ${mode.padEnd(6)} bare ${fmt(sb.mean_ms, 1)} µs, instrumented ${fmt(sw.mean_ms, 1)} µs (+${fmt(sw.mean_ms - sb.mean_ms, 1)} mean, +${fmt(sw.p50_ms - sb.p50_ms, 1)} p50)`,
        );
      }
      rounds.push({ contenders });
    }
  } finally {
    await ups.close();
    await provider.shutdown();
  }
  return {
    rounds,
    skipped: [],
    settings: {
      ...p,
      streamCalls: Math.ceil(p.calls / 4),
      tracer: 'BasicTracerProvider + BatchSpanProcessor → discard',
    },
  };
}

export const interceptor: Suite = {
  name: 'interceptor',
  describe: 'instrument()-wrapped vs bare official openai client, µs per call',
  run,
};
