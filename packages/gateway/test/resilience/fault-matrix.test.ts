// Each simulator fault × {stream, non-stream} × {fallback, retry}, through a real gateway.
import type { Scenario } from '@switchyard/simulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChatResult, chat, contentOf, type Harness, setFault, startHarness } from './harness.js';

const timeouts = { connectMs: 1_000, firstByteMs: 400, totalMs: 5_000 };
const routes = {
  // fallback: the primary fails, the secondary serves; no retries so the path is primary → secondary
  fb: { strategy: 'fallback', targets: ['p/gpt-4o-mini', 's/gpt-4o-mini'], retry: { maxAttempts: 1 }, timeouts },
  // retry: one target, the first call fails, the retry succeeds
  rt: {
    strategy: 'single',
    targets: ['p/gpt-4o-mini'],
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
    timeouts,
  },
  // its own target id: the 30 s Retry-After below parks p/gpt-4.1, not the target the other cases use
  rt30: {
    strategy: 'single',
    targets: ['p/gpt-4.1'],
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
    timeouts,
  },
};

const FAULTS: Record<string, Scenario['fault']> = {
  '429 with retry-after': { kind: 'status', status: 429, code: 'rate_limit', retryAfterMs: 250 },
  '503': { kind: 'status', status: 503 },
  'reset before headers': { kind: 'reset_before_headers' },
  hang: { kind: 'hang' },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ routes, executor: { breaker: { consecutiveFailures: 1_000, minRequests: 1_000 } } });
});
afterAll(() => h.close());
// A 429 with Retry-After parks its target until then (rate-limits.ts); each case starts with none parked.
beforeEach(async () => {
  const end = Date.now() + 5_000;
  while (h.executor.rateLimitStates().some((l) => l.targetId === 'p/gpt-4o-mini') && Date.now() < end)
    await new Promise((r) => setTimeout(r, 20));
});

const served = (r: ChatResult) => r.headers.get('x-switchyard-provider');
let key = 0;

for (const [name, fault] of Object.entries(FAULTS)) {
  describe(name, () => {
    for (const stream of [false, true]) {
      const mode = stream ? 'stream' : 'non-stream';
      it(`${mode}: falls back to the secondary`, async () => {
        setFault(h.primary, { fault });
        setFault(h.secondary, undefined);
        const r = await chat(h, 'fb', stream);
        expect(r.status, r.text).toBe(200);
        expect(served(r)).toBe('s');
        expect(r.headers.get('x-switchyard-attempts')).toBe('2');
        expect(contentOf(r).length).toBeGreaterThan(0);
        expect(h.primary.stats.requests).toBe(1);
        if (name === 'hang') expect(r.ms).toBeGreaterThanOrEqual(400); // first-byte timeout, then fallback
      });

      it(`${mode}: retries the same target`, async () => {
        setFault(h.primary, { scenarioKey: `k${key++}`, fault: { kind: 'fail_first_n', n: 1, fault } });
        const r = await chat(h, 'rt', stream);
        expect(r.status, r.text).toBe(200);
        expect(served(r)).toBe('p');
        expect(r.headers.get('x-switchyard-attempts')).toBe('2');
        expect(h.primary.stats.requests).toBe(2);
        expect(contentOf(r).length).toBeGreaterThan(0);
        if (name === '429 with retry-after') expect(r.ms).toBeGreaterThanOrEqual(250); // the wait is honoured
      });
    }
  });
}

describe('429 whose retry-after crosses the deadline', () => {
  it('is not waited for: the client gets the 429 at once (no fallback left)', async () => {
    setFault(h.primary, { fault: { kind: 'status', status: 429, code: 'rate_limit', retryAfterSeconds: 30 } });
    for (const stream of [false, true]) {
      const r = await chat(h, 'rt30', stream);
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(25);
      expect(r.ms).toBeLessThan(1_000);
    }
  });
});

describe('in-stream error before the first byte', () => {
  it('stream: falls back (nothing reached the client yet)', async () => {
    setFault(h.primary, { fault: { kind: 'stream_error_event', afterChunks: 0 } });
    const r = await chat(h, 'fb', true);
    expect(r.status, r.text).toBe(200);
    expect(served(r)).toBe('s');
    expect(contentOf(r).length).toBeGreaterThan(0);
    expect(r.text).not.toContain('"error"');
  });

  it('stream: retries the same target', async () => {
    const fault = { kind: 'stream_error_event', afterChunks: 0 } as const;
    setFault(h.primary, { scenarioKey: `k${key++}`, fault: { kind: 'fail_first_n', n: 1, fault } });
    const r = await chat(h, 'rt', true);
    expect(r.status, r.text).toBe(200);
    expect(served(r)).toBe('p');
    expect(r.headers.get('x-switchyard-attempts')).toBe('2');
    expect(r.text).not.toContain('"error"');
  });
});

describe('reset after the first byte', () => {
  it('stream: no fallback; the client sees an error event', async () => {
    setFault(h.primary, { fault: { kind: 'reset_mid_stream', afterChunks: 3 } });
    setFault(h.secondary, undefined);
    const r = await chat(h, 'fb', true);
    expect(r.status).toBe(200);
    expect(served(r)).toBe('p');
    expect(r.text).toMatch(/"error"/);
    expect(r.text).not.toContain('data: [DONE]');
    expect(h.secondary.stats.requests).toBe(0);
  });

  it('stream: no retry either, even on a single-target route with retries', async () => {
    setFault(h.primary, { fault: { kind: 'reset_mid_stream', afterChunks: 3 } });
    const r = await chat(h, 'rt', true);
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/"error"/);
    expect(h.primary.stats.requests).toBe(1);
  });

  it('non-stream: nothing reached the client, so it falls back', async () => {
    setFault(h.primary, { fault: { kind: 'reset_mid_stream' } });
    const r = await chat(h, 'fb', false);
    expect(r.status, r.text).toBe(200);
    expect(served(r)).toBe('s');
  });
});

describe('529 overloaded (Anthropic primary)', () => {
  let a: Harness;
  beforeAll(async () => {
    a = await startHarness({
      primaryKind: 'anthropic',
      routes: {
        fb: {
          strategy: 'fallback',
          targets: ['p/claude-sonnet-4-5', 's/gpt-4o-mini'],
          retry: { maxAttempts: 1 },
          timeouts,
        },
        rt: {
          strategy: 'single',
          targets: ['p/claude-sonnet-4-5'],
          retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
          timeouts,
        },
      },
    });
  });
  afterAll(() => a.close());

  for (const stream of [false, true]) {
    it(`${stream ? 'stream' : 'non-stream'}: falls back, and retries`, async () => {
      setFault(a.primary, { fault: { kind: 'status', code: 'overloaded' } });
      const fb = await chat(a, 'fb', stream);
      expect(fb.status, fb.text).toBe(200);
      expect(served(fb)).toBe('s');

      setFault(a.primary, {
        scenarioKey: `a${key++}`,
        fault: { kind: 'fail_first_n', n: 1, fault: { kind: 'status', code: 'overloaded' } },
      });
      const rt = await chat(a, 'rt', stream);
      expect(rt.status, rt.text).toBe(200);
      expect(served(rt)).toBe('p');
      expect(rt.headers.get('x-switchyard-attempts')).toBe('2');
    });
  }
});
