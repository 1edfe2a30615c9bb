import { describe, expect, it } from 'vitest';
import type { AttemptContext, RouteTarget } from '../pipeline/seams.js';
import { createRouteExecutor } from './executor.js';
import { FakeClock } from './testing/fake-clock.js';
import { fail, plan, request, scripted, target } from './testing/fixtures.js';

const targets = [target('slow'), target('fast')];

describe('hedging', () => {
  it('starts the next target after afterMs, the first success wins and the loser is aborted + cancelled', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt, calls } = scripted(clock, {
      slow: [{ ok: 'SLOW', after: 5_000 }],
      fast: [{ ok: 'FAST', after: 100 }],
    });
    const p = ex.execute(plan(targets, { hedge: { afterMs: 300 } }), attempt, request(clock));
    await clock.advance(299);
    expect(calls).toHaveLength(1);
    await clock.advance(101);
    const res = await p;
    expect(res.value).toBe('FAST');
    expect(res.target.id).toBe('fast');
    expect(calls.map((c) => [c.targetId, c.ctx.kind, c.at - calls[0]!.at])).toEqual([
      ['slow', 'primary', 0],
      ['fast', 'hedge', 300],
    ]);
    expect(calls[0]!.ctx.signal.aborted).toBe(true);
    expect(calls[1]!.ctx.signal.aborted).toBe(false);
    // in completion order: the loser is logged the moment it is aborted, before the result is returned
    expect(res.attempts.map((a) => [a.targetId, a.kind, a.outcome])).toEqual([
      ['fast', 'hedge', 'ok'],
      ['slow', 'primary', 'cancelled'],
    ]);
    // the loser is not held against its breaker
    await clock.advance(10_000);
    expect(ex.breakerStates().find((b) => b.targetId === 'slow')?.consecutiveFailures ?? 0).toBe(0);
  });

  it('no hedge when the first attempt produced its first byte in time', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const calls: string[] = [];
    const attempt = (t: RouteTarget, ctx: AttemptContext) =>
      new Promise<string>((resolve) => {
        calls.push(t.id);
        clock.schedule(() => ctx.firstByte(), 100);
        clock.schedule(() => resolve(t.id), 1_000);
      });
    const p = ex.execute(plan(targets, { hedge: { afterMs: 300 } }), attempt, request(clock));
    await clock.advance(1_000);
    expect((await p).value).toBe('slow');
    expect(calls).toEqual(['slow']);
  });

  it('if the primary wins anyway, the hedge is the one cancelled', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt, calls } = scripted(clock, {
      slow: [{ ok: 'SLOW', after: 400 }],
      fast: [{ ok: 'FAST', after: 1_000 }],
    });
    const p = ex.execute(plan(targets, { hedge: { afterMs: 300 } }), attempt, request(clock));
    await clock.advance(400);
    expect((await p).value).toBe('SLOW');
    expect(calls[1]!.ctx.signal.aborted).toBe(true);
  });

  it('a failing primary waits for the hedge, which can still win', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt } = scripted(clock, {
      slow: [{ err: fail('bad_request'), after: 400 }],
      fast: [{ ok: 'FAST', after: 500 }],
    });
    const p = ex.execute(plan(targets, { hedge: { afterMs: 300 } }), attempt, request(clock));
    await clock.advance(800);
    expect((await p).value).toBe('FAST');
  });

  it('both failing → the primary lane error is returned', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt } = scripted(clock, {
      slow: [{ err: fail('bad_request'), after: 400 }],
      fast: [{ err: fail('upstream_5xx'), after: 500 }],
    });
    const p = ex.execute(plan(targets, { hedge: { afterMs: 300 } }), attempt, request(clock)).catch((e: unknown) => e);
    await clock.advance(800);
    expect(await p).toMatchObject({ info: { errorClass: 'bad_request' } });
  });

  it('afterPercentile uses the first target’s recent first-byte latency (none hedged until enough samples)', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const p95 = plan(targets, { hedge: { afterPercentile: 95 } });
    // warm up: 20 samples of 100 ms on "slow"
    for (let i = 0; i < 20; i++) {
      const { attempt } = scripted(clock, { slow: [{ ok: 'S', after: 100 }], fast: [{ ok: 'F', after: 10 }] });
      const p = ex.execute(p95, attempt, request(clock));
      await clock.advance(100);
      expect((await p).value).toBe('S'); // no samples yet → no percentile → no hedge
    }
    const { attempt, calls } = scripted(clock, { slow: ['hang'], fast: [{ ok: 'F', after: 10 }] });
    const p = ex.execute(p95, attempt, request(clock));
    await clock.advance(110);
    expect((await p).value).toBe('F');
    expect(calls[1]!.at - calls[0]!.at).toBe(100);
  });
});
