// Rate limits are not outages: a 429 with Retry-After parks its target until then (routing skips it while another
// target serves; alone, the client gets a 429 with the remaining wait), 429s never open the breaker, and when
// every breaker is open the error carries a retry-after.
import { describe, expect, it } from 'vitest';
import { RouteError } from '../pipeline/seams.js';
import { createRouteExecutor } from './executor.js';
import { FakeClock } from './testing/fake-clock.js';
import { fail, plan, request, scripted, target } from './testing/fixtures.js';

describe('rate-limited targets', () => {
  it('a 429 with retry-after parks the target: the next requests skip it until then', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const s = scripted(clock, {
      a: [{ err: fail('rate_limited', { retryAfterMs: 10_000 }) }, { ok: 'A' }],
      b: [{ ok: 'B' }],
    });
    const both = plan([target('a'), target('b')]);
    expect((await ex.execute(both, s.attempt, request(clock))).value).toBe('B');
    expect(ex.rateLimitStates()).toEqual([{ targetId: 'a', until: clock.now() + 10_000 }]);

    await clock.advance(9_000);
    const second = await ex.execute(both, s.attempt, request(clock));
    expect(second.value).toBe('B');
    expect(second.attempts.map((x) => [x.targetId, x.outcome])).toEqual([
      ['a', 'skipped'],
      ['b', 'ok'],
    ]);
    expect(s.calls.filter((c) => c.targetId === 'a')).toHaveLength(1);

    // Alone on its route, the parked target answers 429 with the remaining wait, without an upstream call.
    const err = await ex.execute(plan([target('a')]), s.attempt, request(clock)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouteError);
    expect((err as RouteError).info).toMatchObject({ errorClass: 'rate_limited', status: 429, retryAfterMs: 1_000 });
    expect(s.calls.filter((c) => c.targetId === 'a')).toHaveLength(1);

    await clock.advance(1_000);
    expect((await ex.execute(plan([target('a')]), s.attempt, request(clock))).value).toBe('A');
    expect(ex.rateLimitStates()).toEqual([]);
  });

  it('a 429 without retry-after parks nothing', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const s = scripted(clock, { a: [{ err: fail('rate_limited') }], b: [{ ok: 'B' }] });
    await ex.execute(plan([target('a'), target('b')]), s.attempt, request(clock));
    expect(ex.rateLimitStates()).toEqual([]);
  });

  it('429 bursts never open the breaker; 5xx bursts do, and then the error carries a retry-after', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, breaker: { consecutiveFailures: 3, coolDownMs: 5_000 } });
    const limited = scripted(clock, { a: [{ err: fail('rate_limited') }] });
    for (let i = 0; i < 10; i++) await ex.execute(plan([target('a')]), limited.attempt, request(clock)).catch(() => {});
    expect(ex.breakerStates().find((b) => b.targetId === 'a')?.state ?? 'closed').toBe('closed');

    const broken = scripted(clock, { x: [{ err: fail('upstream_5xx') }] });
    for (let i = 0; i < 3; i++) await ex.execute(plan([target('x')]), broken.attempt, request(clock)).catch(() => {});
    expect(ex.breakerStates().find((b) => b.targetId === 'x')?.state).toBe('open');
    await clock.advance(2_000);
    const err = await ex.execute(plan([target('x')]), broken.attempt, request(clock)).catch((e: unknown) => e);
    expect((err as RouteError).info).toMatchObject({ errorClass: 'overloaded', retryAfterMs: 3_000 });
  });
});
