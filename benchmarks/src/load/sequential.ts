// One request at a time (c=1) over one keep-alive connection per origin, with status and chosen headers, for
// suites that interleave different requests one by one (fallback: every scenario in turn, so drift hits all).
import { Agent, request } from 'undici';
import type { HttpTarget } from './http-target.js';

export interface Sample {
  ms: number;
  status: number;
}

export interface SequentialClient {
  send(t: HttpTarget, timeoutMs: number): Promise<Sample>;
  close(): Promise<void>;
}

export function sequentialClient(): SequentialClient {
  const dispatcher = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  return {
    async send(t, timeoutMs) {
      const start = performance.now();
      try {
        const res = await request(t.url, {
          dispatcher,
          method: t.method,
          headers: t.headers,
          body: t.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body.dump({ limit: 1 << 20 });
        return { ms: performance.now() - start, status: res.statusCode };
      } catch {
        return { ms: performance.now() - start, status: 0 };
      }
    },
    close: () => dispatcher.close(),
  };
}
