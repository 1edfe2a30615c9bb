// Streams measured one body read at a time: time to first body byte, and the gaps between reads.
// autocannon only sees whole responses, so streaming uses undici directly (bounded count, per-stream timeout).
import { Agent, request } from 'undici';
import { summarize } from '../stats/percentiles.js';
import type { Latency } from '../types.js';
import type { HttpTarget } from './http-target.js';

export interface StreamStats {
  ttft: Latency;
  gap: Latency;
  total: Latency;
  readsPerStream: number;
  errors: number;
  firstError?: string;
}

export interface One {
  ttft: number;
  gaps: number[];
  total: number;
}

export async function oneStream(dispatcher: Agent, t: HttpTarget, timeoutMs: number): Promise<One> {
  const start = performance.now();
  const res = await request(t.url, {
    dispatcher,
    method: t.method,
    headers: t.headers,
    body: t.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.statusCode !== 200) {
    const text = await res.body.text();
    throw new Error(`HTTP ${res.statusCode} ${text.slice(0, 120)}`);
  }
  let ttft = -1;
  let last = 0;
  const gaps: number[] = [];
  for await (const _chunk of res.body) {
    const now = performance.now();
    if (ttft < 0) ttft = now - start;
    else gaps.push(now - last);
    last = now;
  }
  if (ttft < 0) throw new Error('empty stream');
  return { ttft, gaps, total: performance.now() - start };
}

export interface StreamOptions {
  streams: number;
  concurrency: number;
  timeoutMs: number;
  staggerMs?: number;
  warm?: number;
  /**
   * Each worker's first stream is run but not recorded: the recorded first bytes all start while the other workers
   * are mid-stream (steady traffic), none in the ramp-up where a worker starts alone. `streams` counts it too.
   */
  ramp?: boolean;
  /** Connections kept across calls (the caller closes it); by default one Agent per call, closed at its end. */
  dispatcher?: Agent;
}

/** Every stream's own timings, so runs of one contender can be pooled before the percentiles are taken. */
export interface StreamSamples {
  results: One[];
  errors: number;
  firstError?: string;
}

/**
 * Run `streams` streams, `concurrency` at a time. Workers start `staggerMs` apart, so each stream's first byte is
 * measured while the others are mid-stream (as in steady traffic), not in a burst of simultaneous starts.
 * `warm`: first run that many unrecorded streams at once (at least `concurrency`) on the same connections, so the
 * measured first bytes include no connection set-up — neither the client's to the server nor a proxy's to its
 * upstream (a proxy that has only ever seen fewer concurrent streams opens new upstream connections on the
 * measured requests) — and the servers' stream paths have run more than a handful of times.
 */
export async function collectStreams(t: HttpTarget, opts: StreamOptions): Promise<StreamSamples> {
  const warm = opts.warm ? Math.max(opts.warm, opts.concurrency) : 0;
  const dispatcher =
    opts.dispatcher ?? new Agent({ connections: Math.max(opts.concurrency, warm), keepAliveTimeout: 30_000 });
  const results: One[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const worker = async (k: number) => {
    await new Promise((r) => setTimeout(r, k * (opts.staggerMs ?? 0)));
    let record = !opts.ramp;
    while (next < opts.streams) {
      next++;
      try {
        const one = await oneStream(dispatcher, t, opts.timeoutMs);
        if (record) results.push(one);
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
      record = true;
    }
  };
  try {
    await Promise.all(Array.from({ length: warm }, () => oneStream(dispatcher, t, opts.timeoutMs).catch(() => {})));
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, opts.streams) }, (_, k) => worker(k)));
  } finally {
    if (!opts.dispatcher) await dispatcher.close();
  }
  return { results, errors, ...(firstError !== undefined && { firstError }) };
}

/** Percentiles over the pooled samples of one or more `collectStreams` runs. */
export function summarizeStreams(parts: readonly StreamSamples[]): StreamStats {
  const results = parts.flatMap((p) => p.results);
  const reads = results.reduce((n, r) => n + r.gaps.length + 1, 0);
  return {
    ttft: summarize(results.map((r) => r.ttft)),
    gap: summarize(results.flatMap((r) => r.gaps)),
    total: summarize(results.map((r) => r.total)),
    readsPerStream: results.length === 0 ? 0 : reads / results.length,
    errors: parts.reduce((n, p) => n + p.errors, 0),
    firstError: parts.find((p) => p.firstError !== undefined)?.firstError,
  };
}

export async function runStreams(t: HttpTarget, opts: StreamOptions): Promise<StreamStats> {
  return summarizeStreams([await collectStreams(t, opts)]);
}
