// Hedging through the gateway: the slow primary loses, the secondary's answer is returned, and the primary's
// upstream connection is torn down (the simulator sees the request aborted).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chat, contentOf, type Harness, setFault, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    routes: {
      hedged: {
        strategy: 'fallback',
        targets: ['p/gpt-4o-mini', 's/gpt-4o-mini'],
        hedge: { afterMs: 100 },
        timeouts: { firstByteMs: 5_000, totalMs: 10_000 },
      },
      // The same with a hedge delay no answer reaches on a loaded box (100 ms did at a load of 10).
      'hedged-late': {
        strategy: 'fallback',
        targets: ['p/gpt-4o-mini', 's/gpt-4o-mini'],
        hedge: { afterMs: 5_000 },
        timeouts: { firstByteMs: 8_000, totalMs: 10_000 },
      },
    },
  });
});
afterAll(() => h.close());

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

for (const stream of [false, true]) {
  it(`${stream ? 'stream' : 'non-stream'}: the slow target loses and its upstream request is aborted`, async () => {
    setFault(h.primary, stream ? { ttftMs: 3_000 } : { latencyMs: 3_000 });
    setFault(h.secondary, undefined);
    const r = await chat(h, 'hedged', stream);
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('x-switchyard-provider')).toBe('s');
    expect(r.headers.get('x-switchyard-attempts')).toBe('2');
    expect(contentOf(r).length).toBeGreaterThan(0);
    expect(r.ms).toBeGreaterThanOrEqual(100);
    expect(r.ms).toBeLessThan(2_000);
    await until(() => h.primary.stats.aborted === 1);
    expect(h.primary.stats).toMatchObject({ requests: 1, aborted: 1, completed: 0, inFlight: 0 });
  });
}

it('no hedge when the primary answers in time', async () => {
  setFault(h.primary, undefined);
  setFault(h.secondary, undefined);
  const r = await chat(h, 'hedged-late', false);
  expect(r.headers.get('x-switchyard-provider')).toBe('p');
  expect(h.secondary.stats.requests).toBe(0);
});
