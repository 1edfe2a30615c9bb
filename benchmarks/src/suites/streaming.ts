// Streaming: added time to first byte and inter-chunk gap, simulator emitting N chunks at a fixed pace.

import { Agent } from 'undici';
import type { ChatCall } from '../contenders/contender.js';
import { standardStarters } from '../contenders/standard.js';
import { rotate, startSet } from '../contenders/start-set.js';
import type { HttpTarget } from '../load/http-target.js';
import { runLoad } from '../load/run-load.js';
import { type SteadyCounts, startSteadyTraffic } from '../load/steady-traffic.js';
import {
  collectStreams,
  runStreams,
  type StreamSamples,
  type StreamStats,
  summarizeStreams,
} from '../load/stream-run.js';
import { fmt, log } from '../progress.js';
import { startUpstreams } from '../servers/start-upstreams.js';
import { round3 } from '../stats/percentiles.js';
import type { Round, StreamingEntry, SuiteResult } from '../types.js';
import { CHAT_BODY, CHAT_MODEL, type Suite, type SuiteContext } from './suite.js';

const WARM_STREAMS = 32;
const SHORT_STREAMS = 400;
const WARM_SCENARIO = { chunks: 4, outputTokens: 4, chunkDelayMs: 2 };
/** One unstreamed call this often through the contender whose block runs (steady-traffic.ts says why). */
const STEADY_INTERVAL_MS = 2;

/** Seen with @portkey-ai/gateway 1.15.2 on Node 20 and @hono/node-server 1.19 (its semver range allows it). */
const PORTKEY_STREAM_BUG =
  'Portkey logs "TypeError: immutable" in updateHeaders (Portkey-AI/gateway#1389: @hono/node-server > 1.14.2)';

async function run(ctx: SuiteContext): Promise<SuiteResult<StreamingEntry>> {
  const p = ctx.profile.streaming;
  const scenario = { chunks: p.chunks, outputTokens: p.chunks, chunkDelayMs: p.chunkDelayMs };
  const ups = await startUpstreams([
    { name: 'stream', provider: 'openai', scenario },
    { name: 'warm', provider: 'openai', scenario: WARM_SCENARIO },
  ]);
  const upstream = { provider: 'openai' as const, origin: ups.info.stream as string, providerId: 'sim' };
  // A second simulator with short streams, to run a server's stream path often enough to be optimised.
  const warmUpstream = { provider: 'openai' as const, origin: ups.info.warm as string, providerId: 'simwarm' };
  const set = await startSet(standardStarters([upstream, warmUpstream], ctx));
  const body = { ...CHAT_BODY, stream: true, stream_options: { include_usage: true } };
  const call: ChatCall = { upstream, model: CHAT_MODEL, body };
  const streamMs = p.chunks * p.chunkDelayMs;
  const timeoutMs = streamMs * 5 + 5000;
  // Two measured streams per worker and block (quick: 4 blocks of 8), after one unrecorded ramp-up stream each.
  const blocks = Math.max(1, Math.round(p.streams / (2 * p.concurrency)));
  const rounds: Round<StreamingEntry>[] = [];
  const skipped = [...set.skipped];
  try {
    for (let r = 0; r < ctx.profile.rounds; r++) {
      // Every contender is warmed first (in rotated order), each on connections it keeps for the round; then the
      // measured streams run in blocks, the contenders taking turns block by block, so a busy box's swings land on
      // all of them alike instead of on whichever contender ran during a bad ten seconds.
      const ready: {
        name: string;
        t: HttpTarget;
        json: HttpTarget;
        agent: Agent;
        samples: StreamSamples[];
        /** The background calls of its blocks (steady-traffic.ts). */
        steady: SteadyCounts;
      }[] = [];
      for (const c of rotate(set.contenders, r)) {
        const t = c.target(call);
        const json = c.target({ ...call, body: CHAT_BODY });
        if (!t || !json || skipped.some((k) => k.name === c.name)) continue;
        const warm = await runStreams(t, { streams: 2, concurrency: 2, timeoutMs });
        if (warm.errors === 2) {
          const reason = `every stream failed: ${warm.firstError}${c.name === 'portkey' ? ` — ${PORTKEY_STREAM_BUG}` : ''}`;
          skipped.push({ name: c.name, reason });
          log(`SKIP ${c.name}: ${reason}`);
          continue;
        }
        // A server's first requests run unoptimised code: warm the request path with the same call unstreamed
        // (the upstream answers JSON at once), the stream path with SHORT_STREAMS short streams (where the
        // contender reaches the second simulator: `bare` fronts only the first, and its path is tiny), then the
        // measured upstream's connections with WARM_STREAMS concurrent streams, on the connections the measured
        // streams will use: first bytes of steady traffic, not of connection set-up bursts.
        await runLoad(json, { connections: 8, durationS: ctx.profile.warmupS });
        const short = c.target({ upstream: warmUpstream, model: CHAT_MODEL, body });
        if (short) await runStreams(short, { streams: SHORT_STREAMS, concurrency: 8, timeoutMs: 10_000 });
        const agent = new Agent({ connections: WARM_STREAMS, keepAliveTimeout: 30_000 });
        await collectStreams(t, {
          streams: 0,
          concurrency: p.concurrency,
          timeoutMs,
          warm: WARM_STREAMS,
          dispatcher: agent,
        });
        ready.push({ name: c.name, t, json, agent, samples: [], steady: { calls: 0, errors: 0 } });
      }
      const perBlock = Math.ceil(p.streams / blocks);
      const measured: { name: string; s: StreamStats; steady: SteadyCounts }[] = [];
      try {
        for (let b = 0; b < blocks; b++) {
          for (const x of rotate(ready, b)) {
            // Keep this contender's connections open while the others took their turn (a server may close idle
            // keep-alive connections after a few seconds): one unstreamed call per worker, on the same Agent.
            await collectStreams(x.json, {
              streams: p.concurrency,
              concurrency: p.concurrency,
              timeoutMs,
              dispatcher: x.agent,
            });
            const steady = startSteadyTraffic(x.json, STEADY_INTERVAL_MS);
            try {
              x.samples.push(
                await collectStreams(x.t, {
                  streams: perBlock + p.concurrency,
                  concurrency: p.concurrency,
                  timeoutMs,
                  staggerMs: streamMs / p.concurrency,
                  ramp: true,
                  dispatcher: x.agent,
                }),
              );
            } finally {
              const bg = await steady.stop();
              x.steady.calls += bg.calls;
              x.steady.errors += bg.errors;
            }
          }
        }
      } finally {
        await Promise.all(ready.map((x) => x.agent.close()));
      }
      for (const x of ready) {
        const s = summarizeStreams(x.samples);
        measured.push({ name: x.name, s, steady: x.steady });
        log(
          `[streaming ${r + 1}/${ctx.profile.rounds}] ${x.name.padEnd(18)} TTFT p50 ${fmt(s.ttft.p50_ms)} gap p99 ${fmt(s.gap.p99_ms)} ms, ${fmt(s.readsPerStream, 1)} reads/stream, err ${s.errors}; ${x.steady.calls} background calls, err ${x.steady.errors}`,
        );
      }
      const base = measured.find((m) => m.name === 'direct')?.s;
      const add = (v: number, b: number | undefined) => (b === undefined ? Number.NaN : round3(v - b));
      rounds.push({
        contenders: measured.map(({ name, s, steady }) => ({
          name,
          ttft_p50_ms: s.ttft.p50_ms,
          ttft_p99_ms: s.ttft.p99_ms,
          added_ttft_p50_ms: add(s.ttft.p50_ms, base?.ttft.p50_ms),
          added_ttft_p99_ms: add(s.ttft.p99_ms, base?.ttft.p99_ms),
          gap_p50_ms: s.gap.p50_ms,
          gap_p99_ms: s.gap.p99_ms,
          added_gap_p99_ms: add(s.gap.p99_ms, base?.gap.p99_ms),
          total_p50_ms: s.total.p50_ms,
          events_per_stream: round3(s.readsPerStream),
          errors: s.errors + steady.errors,
          background_calls: steady.calls,
        })),
      });
    }
  } finally {
    await set.close();
    await ups.close();
  }
  return {
    rounds,
    skipped,
    settings: {
      ...p,
      staggerMs: streamMs / p.concurrency,
      warmup: `${ctx.profile.warmupS} s of the unstreamed call at c=8, ${SHORT_STREAMS} short streams (${JSON.stringify(WARM_SCENARIO)}) at c=8 where the contender reaches that simulator, then ${WARM_STREAMS} concurrent streams`,
      measured: `${blocks} blocks of ${Math.ceil(p.streams / blocks)} recorded streams per contender, the contenders taking turns block by block; in a block each worker's first stream is unrecorded (ramp-up), and ${p.concurrency} unstreamed calls on the same connections come before it; during the block one unstreamed call every ${STEADY_INTERVAL_MS} ms on its own connection keeps the contender's processes awake (load/steady-traffic.ts)`,
      upstream: `openai sim, ${JSON.stringify(scenario)}`,
    },
  };
}

export const streaming: Suite = {
  name: 'streaming',
  describe: 'added time to first byte and inter-chunk gap (64 chunks at 20 ms)',
  run,
};
