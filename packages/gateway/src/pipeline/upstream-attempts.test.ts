// The attempts a ledger row records: every upstream call the executor made for the request, as it logged them.
import { describe, expect, it } from 'vitest';
import { createRouteExecutor } from '../routing/executor.js';
import { FakeClock } from '../routing/testing/fake-clock.js';
import { plan, request, scripted, target } from '../routing/testing/fixtures.js';
import { upstreamAttempts } from './request-flow.js';

describe('upstream attempts of a call', () => {
  it('a hedged call counts the cancelled loser too', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt } = scripted(clock, {
      slow: [{ ok: 'SLOW', after: 5_000 }],
      fast: [{ ok: 'FAST', after: 100 }],
    });
    const p = ex.execute(plan([target('slow'), target('fast')], { hedge: { afterMs: 300 } }), attempt, request(clock));
    await clock.advance(400);
    const res = await p;
    expect(res.attempts.map((a) => a.outcome)).toEqual(['ok', 'cancelled']);
    expect(upstreamAttempts(res.attempts)).toBe(2);
  });

  it('a target skipped by its breaker or a rate-limit hold made no call and is not counted', () => {
    expect(
      upstreamAttempts([
        { targetId: 'a', kind: 'skipped', outcome: 'skipped', durationMs: 0 },
        { targetId: 'b', kind: 'primary', outcome: 'error', durationMs: 5 },
        { targetId: 'b', kind: 'retry', outcome: 'error', durationMs: 5 },
        { targetId: 'c', kind: 'fallback', outcome: 'ok', durationMs: 5 },
      ]),
    ).toBe(3);
    expect(upstreamAttempts([])).toBe(0);
  });
});
