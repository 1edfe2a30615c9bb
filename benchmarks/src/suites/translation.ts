// Translation: the same OpenAI-format call to an OpenAI, an Anthropic and a Gemini upstream. Added latency is vs
// that upstream reached natively (its own wire format), so translation cost = added(anthropic|gemini) − added(openai).
import type { ChatCall, Upstream } from '../contenders/contender.js';
import { JSON_HEADERS } from '../contenders/contender.js';
import { standardStarters } from '../contenders/standard.js';
import { rotate, startSet } from '../contenders/start-set.js';
import type { HttpTarget } from '../load/http-target.js';
import { type LoadResult, runLoad } from '../load/run-load.js';
import { fmt, log } from '../progress.js';
import { startUpstreams } from '../servers/start-upstreams.js';
import { SIM_KEY } from '../servers/upstreams.js';
import { round3 } from '../stats/percentiles.js';
import type { Round, SuiteResult, TranslationEntry } from '../types.js';
import { CHAT_BODY, type Suite, type SuiteContext } from './suite.js';

const MODELS = { openai: 'gpt-4o-mini', anthropic: 'claude-haiku-4-5', gemini: 'gemini-2.5-flash' } as const;
const PROMPT = CHAT_BODY.messages[0].content;

/** The same request in each upstream's own format, sent straight to the simulator. */
function nativeTarget(u: Upstream): HttpTarget {
  if (u.provider === 'anthropic') {
    return {
      url: `${u.origin}/v1/messages`,
      method: 'POST',
      headers: { ...JSON_HEADERS, 'x-api-key': SIM_KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODELS.anthropic, max_tokens: CHAT_BODY.max_tokens, messages: CHAT_BODY.messages }),
    };
  }
  if (u.provider === 'gemini') {
    return {
      url: `${u.origin}/v1beta/models/${MODELS.gemini}:generateContent`,
      method: 'POST',
      headers: { ...JSON_HEADERS, 'x-goog-api-key': SIM_KEY },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
        generationConfig: { maxOutputTokens: CHAT_BODY.max_tokens },
      }),
    };
  }
  return {
    url: `${u.origin}/v1/chat/completions`,
    method: 'POST',
    headers: { ...JSON_HEADERS, authorization: `Bearer ${SIM_KEY}` },
    body: JSON.stringify({ model: MODELS.openai, ...CHAT_BODY }),
  };
}

async function run(ctx: SuiteContext): Promise<SuiteResult<TranslationEntry>> {
  const p = ctx.profile.translation;
  const ups = await startUpstreams([
    { name: 'openai', provider: 'openai' },
    { name: 'anthropic', provider: 'anthropic' },
    { name: 'gemini', provider: 'gemini' },
  ]);
  const upstreams: Upstream[] = (['openai', 'anthropic', 'gemini'] as const).map((provider) => ({
    provider,
    origin: ups.info[provider] as string,
    providerId: `sim-${provider}`,
  }));
  const set = await startSet(
    // Tracing's cost is measured by the overhead suite; here only the translation matters.
    standardStarters(upstreams, ctx).filter((s) => ['switchyard', 'portkey'].includes(s.name)),
  );
  const rounds: Round<TranslationEntry>[] = [];
  try {
    for (let r = 0; r < ctx.profile.rounds; r++) {
      const jobs: { name: string; upstream: Upstream; t: HttpTarget; c1?: LoadResult; c32?: LoadResult }[] = [];
      for (const u of rotate(upstreams, r)) {
        jobs.push({ name: 'direct', upstream: u, t: nativeTarget(u) });
        for (const c of rotate(set.contenders, r)) {
          const call: ChatCall = { upstream: u, model: MODELS[u.provider], body: CHAT_BODY };
          const t = c.target(call);
          if (t) jobs.push({ name: c.name, upstream: u, t });
        }
      }
      const tag = `[translation ${r + 1}/${ctx.profile.rounds}]`;
      for (const j of jobs) await runLoad(j.t, { connections: 8, durationS: Math.min(0.5, ctx.profile.warmupS) });
      for (const j of jobs) {
        j.c1 = await runLoad(j.t, { connections: 1, durationS: p.c1S });
        j.c32 = await runLoad(j.t, { connections: 32, durationS: p.c32S });
        log(
          `${tag} ${j.name.padEnd(18)} → ${j.upstream.provider.padEnd(9)} c=1 p50 ${fmt(j.c1.latency.p50_ms)} ms, c=32 ${j.c32.rps} rps, err ${j.c1.errors + j.c32.errors}`,
        );
      }
      rounds.push({
        contenders: jobs.map((j) => {
          const base = jobs.find((b) => b.name === 'direct' && b.upstream === j.upstream)?.c1?.latency;
          const l = j.c1?.latency;
          return {
            name: j.name,
            upstream: j.upstream.provider,
            c1_p50_ms: l?.p50_ms ?? Number.NaN,
            c1_p99_ms: l?.p99_ms ?? Number.NaN,
            added_p50_ms: l && base ? round3(l.p50_ms - base.p50_ms) : Number.NaN,
            added_p99_ms: l && base ? round3(l.p99_ms - base.p99_ms) : Number.NaN,
            c32_rps: j.c32?.rps ?? 0,
            errors: (j.c1?.errors ?? 0) + (j.c32?.errors ?? 0),
          };
        }),
      });
    }
  } finally {
    await set.close();
    await ups.close();
  }
  return { rounds, skipped: set.skipped, settings: { ...p, models: MODELS } };
}

export const translation: Suite = {
  name: 'translation',
  describe: 'OpenAI in → OpenAI / Anthropic / Gemini upstream, vs each upstream reached natively',
  run,
};
