// Requests one after another (c=1) with their status and chosen response headers, for suites that must look
// at each response (fallback: did this one really fall back?).
import { Agent, request } from 'undici';
import type { HttpTarget } from './http-target.js';

export interface Sample {
  ms: number;
  status: number;
  headers: Record<string, string>;
}

/** `target(i)` is the request to send as the i-th (fixed, or rotating over routes). */
export async function runSequential(
  target: HttpTarget | ((i: number) => HttpTarget),
  opts: { count: number; timeoutMs: number; keepHeaders?: string[]; deadlineMs?: number },
): Promise<Sample[]> {
  const dispatcher = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  const samples: Sample[] = [];
  const deadline = Date.now() + (opts.deadlineMs ?? 120_000);
  try {
    for (let i = 0; i < opts.count && Date.now() < deadline; i++) {
      const t = typeof target === 'function' ? target(i) : target;
      const start = performance.now();
      try {
        const res = await request(t.url, {
          dispatcher,
          method: t.method,
          headers: t.headers,
          body: t.body,
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
        await res.body.dump({ limit: 1 << 20 });
        const headers: Record<string, string> = {};
        for (const h of opts.keepHeaders ?? []) {
          const v = res.headers[h];
          if (v !== undefined) headers[h] = String(v);
        }
        samples.push({ ms: performance.now() - start, status: res.statusCode, headers });
      } catch {
        samples.push({ ms: performance.now() - start, status: 0, headers: {} });
      }
    }
  } finally {
    await dispatcher.close();
  }
  return samples;
}
