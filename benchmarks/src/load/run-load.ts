// One bounded autocannon run. Latency percentiles come from per-response timings (float ms), not from
// autocannon's whole-millisecond histogram.
import autocannon from 'autocannon';
import { summarize } from '../stats/percentiles.js';
import type { Latency } from '../types.js';
import type { HttpTarget } from './http-target.js';

export interface LoadOptions {
  connections: number;
  durationS: number;
  /** Requests per second across all connections; omitted = as fast as possible. */
  overallRate?: number;
  /** Seconds before a request counts as timed out. */
  timeoutS?: number;
}

export interface LoadResult {
  latency: Latency;
  /** 2xx responses per second of wall time. */
  rps: number;
  /** Connection errors + timeouts + non-2xx responses. */
  errors: number;
  non2xx: number;
  ok: number;
  /** Every 2xx response's latency (ms) and the run's wall time (s), so slices of one contender can be pooled. */
  samples: number[];
  wallS: number;
}

export async function runLoad(target: HttpTarget, opts: LoadOptions): Promise<LoadResult> {
  const samples: number[] = [];
  let non2xx = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: target.method,
        headers: target.headers,
        body: target.body,
        connections: opts.connections,
        duration: opts.durationS,
        overallRate: opts.overallRate,
        timeout: opts.timeoutS ?? 10,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) samples.push(ms);
      else non2xx++;
    });
  });
  const wallS = result.duration > 0 ? result.duration : opts.durationS;
  return loadResult(samples, wallS, result.errors + non2xx, non2xx);
}

/** One result from several runs of the same target: latencies pooled, rps over the summed wall time. */
export function poolLoads(parts: readonly LoadResult[]): LoadResult {
  const sum = (f: (p: LoadResult) => number) => parts.reduce((s, p) => s + f(p), 0);
  return loadResult(
    parts.flatMap((p) => p.samples),
    sum((p) => p.wallS),
    sum((p) => p.errors),
    sum((p) => p.non2xx),
  );
}

function loadResult(samples: number[], wallS: number, errors: number, non2xx: number): LoadResult {
  return {
    latency: summarize(samples),
    rps: Math.round(samples.length / Math.max(wallS, 0.001)),
    errors,
    non2xx,
    ok: samples.length,
    samples,
    wallS,
  };
}
