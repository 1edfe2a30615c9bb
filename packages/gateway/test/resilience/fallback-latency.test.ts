// Fallback cost, measured through the gateway: a dead primary (connection refused / 503 / first-byte timeout)
// versus the secondary alone, and with the primary's breaker open (should add ~nothing).
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, type Harness, setFault, startHarness } from './harness.js';

const N = 30;

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const p50 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? Number.NaN;

/** Median latency of each model, requests interleaved so machine-load drift hits all of them alike. */
async function medians(h: Harness, models: string[]): Promise<number[]> {
  for (const m of models) for (let i = 0; i < 3; i++) await chat(h, m, false); // warm up pools
  const samples = models.map(() => [] as number[]);
  for (let i = 0; i < N; i++) {
    for (const [j, m] of models.entries()) {
      const r = await chat(h, m, false);
      expect(r.status, r.text).toBe(200);
      samples[j]?.push(r.ms);
    }
  }
  return samples.map(p50);
}

describe('fallback latency (breaker disabled)', () => {
  let h: Harness;
  beforeAll(async () => {
    const dead = await closedPort();
    h = await startHarness({
      routes: {
        direct: { strategy: 'single', targets: ['s/gpt-4o-mini'], retry: { maxAttempts: 1 } },
        fb: { strategy: 'fallback', targets: ['p/gpt-4o-mini', 's/gpt-4o-mini'], retry: { maxAttempts: 1 } },
        refused: { strategy: 'fallback', targets: ['dead/gpt-4o-mini', 's/gpt-4o-mini'], retry: { maxAttempts: 1 } },
      },
      extraProviders: { dead: { kind: 'openai', baseURL: `http://127.0.0.1:${dead}/v1`, apiKey: 'sk-dead' } },
      executor: { breaker: { consecutiveFailures: 1_000_000, minRequests: 1_000_000 } },
    });
  });
  afterAll(() => h.close());

  it('503 and connection refused add a few ms at most', async () => {
    setFault(h.primary, { fault: { kind: 'status', status: 503 } });
    const [base = 0, on503 = 0, refused = 0] = await medians(h, ['direct', 'fb', 'refused']);
    console.log(
      `[fallback-latency] secondary alone p50 ${base.toFixed(2)} ms; +503 primary ${(on503 - base).toFixed(2)} ms; ` +
        `+refused primary ${(refused - base).toFixed(2)} ms`,
    );
    // Loose bounds: the 2-core CI box is shared (a load of 10 pushed a real +6 ms past 15 ms); the log line carries
    // the real numbers and `pnpm bench` holds the ms goals. What this catches is a wait on the way to the fallback
    // (a backoff, a timer, a drained body): 100 ms or more.
    expect(on503 - base).toBeLessThan(Math.max(60, 2 * base));
    expect(refused - base).toBeLessThan(Math.max(60, 2 * base));
  });
});

describe('circuit breaker through the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      routes: {
        direct: { strategy: 'single', targets: ['s/gpt-4o-mini'], retry: { maxAttempts: 1 } },
        fb: { strategy: 'fallback', targets: ['p/gpt-4o-mini', 's/gpt-4o-mini'], retry: { maxAttempts: 1 } },
      },
      executor: { breaker: { consecutiveFailures: 3, coolDownMs: 4_000, halfOpenProbes: 1 } },
    });
  });
  afterAll(() => h.close());

  it('opens on a dead primary, skips it with ~no added latency, half-opens and closes after recovery', async () => {
    setFault(h.primary, { fault: { kind: 'status', status: 503 } });
    for (let i = 0; i < 3; i++) expect((await chat(h, 'fb', false)).headers.get('x-switchyard-provider')).toBe('s');
    expect(h.executor.breakerStates().find((b) => b.targetId === 'p/gpt-4o-mini')?.state).toBe('open');
    const before = h.primary.stats.requests;

    const [base = 0, open = 0] = await medians(h, ['direct', 'fb']);
    console.log(`[fallback-latency] breaker open: +${(open - base).toFixed(2)} ms over the secondary alone`);
    expect(h.primary.stats.requests).toBe(before); // skipped, never called
    // Same path as the secondary alone plus a map lookup; the bound only absorbs load noise on a shared box.
    expect(open - base).toBeLessThan(Math.max(3, base * 0.3));

    setFault(h.primary, undefined); // recovers
    const state = () => h.executor.breakerStates().find((b) => b.targetId === 'p/gpt-4o-mini')?.state;
    for (let i = 0; i < 100 && state() === 'open'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(state()).toBe('half-open');
    const probe = await chat(h, 'fb', false);
    expect(probe.headers.get('x-switchyard-provider')).toBe('p');
    expect(state()).toBe('closed');
  });
});
