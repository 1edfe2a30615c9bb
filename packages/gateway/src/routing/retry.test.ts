import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RouteError } from '../pipeline/seams.js';
import { createRouteExecutor } from './executor.js';
import { backoffMs, retryDelayMs } from './retry.js';
import { FakeClock } from './testing/fake-clock.js';
import { fail, info, plan, request, scripted, target } from './testing/fixtures.js';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoff', () => {
  it('full jitter stays within [0, min(max, base·2^(n-1))]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (n, r) => {
        const d = backoffMs(policy, n, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(Math.min(1_000, 100 * 2 ** (n - 1)));
      }),
    );
    expect(backoffMs(policy, 3, () => 0.999999)).toBe(399);
    expect(backoffMs(policy, 3, () => 0)).toBe(0);
  });

  it('Retry-After wins over backoff', () => {
    expect(retryDelayMs(info('rate_limited', { retryAfterMs: 2_500 }), policy, 1, () => 0.5)).toBe(2_500);
    expect(retryDelayMs(info('rate_limited'), policy, 1, () => 0.5)).toBe(50);
  });
});

describe('retry layer', () => {
  it('waits exactly retry-after, then retries the same target', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, random: () => 0.5 });
    const { attempt, calls } = scripted(clock, {
      a: [{ err: fail('rate_limited', { retryAfterMs: 2_000 }) }, { ok: 'A' }],
    });
    const p = ex.execute(plan([target('a')], { retry: policy }), attempt, request(clock));
    await clock.advance(1_999);
    expect(calls).toHaveLength(1);
    await clock.advance(1);
    const res = await p;
    expect(res.value).toBe('A');
    expect(calls.map((c) => c.at - calls[0]!.at)).toEqual([0, 2_000]);
    expect(res.attempts.map((a) => [a.kind, a.outcome])).toEqual([
      ['primary', 'error'],
      ['retry', 'ok'],
    ]);
    expect(res.waitMs).toBe(2_000); // reported so the overhead metric can leave the sleep out
  });

  it('reports the backoff slept on failure too, and none without retries', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, random: () => 0.5 });
    const { attempt } = scripted(clock, { a: [{ err: fail('upstream_5xx') }], b: [{ ok: 'B' }] });
    const failing = ex.execute(plan([target('a')], { retry: { ...policy, maxAttempts: 3 } }), attempt, request(clock));
    const caught = failing.catch((e: unknown) => e);
    await clock.advance(1_000);
    const err = await caught;
    expect(err).toBeInstanceOf(RouteError);
    expect((err as RouteError).waitMs).toBe(50 + 100); // 0.5 × 100, then 0.5 × 200
    const direct = await ex.execute(plan([target('b')]), attempt, request(clock));
    expect(direct.waitMs).toBe(0);
  });

  it('a retry-after that would cross the deadline moves on to fallback at once', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt, calls } = scripted(clock, {
      a: [{ err: fail('rate_limited', { retryAfterMs: 60_000 }) }],
      b: [{ ok: 'B' }],
    });
    const p = ex.execute(plan([target('a'), target('b')], { retry: policy }), attempt, request(clock));
    await clock.advance(0);
    const res = await p;
    expect(res.value).toBe('B');
    expect(calls.map((c) => [c.targetId, c.at - calls[0]!.at])).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
  });

  it('without a fallback, a too-long retry-after returns the 429 (with its retry-after) to the client', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt } = scripted(clock, { a: [{ err: fail('rate_limited', { retryAfterMs: 60_000 }) }] });
    const p = ex.execute(plan([target('a')], { retry: policy }), attempt, request(clock));
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouteError);
    expect((err as RouteError).info).toMatchObject({ errorClass: 'rate_limited', retryAfterMs: 60_000 });
  });

  it('non-retryable classes are not retried', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt, calls } = scripted(clock, { a: [{ err: fail('bad_request') }] });
    await expect(ex.execute(plan([target('a')], { retry: policy }), attempt, request(clock))).rejects.toThrow(
      RouteError,
    );
    expect(calls).toHaveLength(1);
  });

  it('maxAttempts bounds retries on one target', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, random: () => 0.5 });
    const { attempt, calls } = scripted(clock, { a: [{ err: fail('upstream_5xx') }] });
    const p = ex.execute(plan([target('a')], { retry: { ...policy, maxAttempts: 3 } }), attempt, request(clock));
    const caught = p.catch((e: unknown) => e);
    await clock.advance(10_000);
    expect(await caught).toBeInstanceOf(RouteError);
    expect(calls).toHaveLength(3);
    // full jitter with random 0.5: 50 ms, then 100 ms
    expect(calls.map((c) => c.at - calls[0]!.at)).toEqual([0, 50, 150]);
  });

  it('the hard attempt cap stops a spin even with a huge policy', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, random: () => 0 });
    const { attempt, calls } = scripted(clock, {
      a: [{ err: fail('upstream_5xx') }],
      b: [{ err: fail('upstream_5xx') }],
    });
    const p = ex.execute(
      plan([target('a'), target('b')], { retry: { maxAttempts: 1_000, baseDelayMs: 0, maxDelayMs: 0 } }),
      attempt,
      request(clock),
    );
    const caught = p.catch((e: unknown) => e);
    await clock.advance(1_000);
    expect(await caught).toBeInstanceOf(RouteError);
    expect(calls).toHaveLength(10);
  });

  it('the deadline stops retries of a target that keeps failing slowly', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, random: () => 0 });
    const { attempt, calls } = scripted(clock, { a: [{ err: fail('upstream_5xx'), after: 400 }] });
    const p = ex.execute(
      plan([target('a')], {
        retry: { maxAttempts: 100, baseDelayMs: 0, maxDelayMs: 0 },
        timeouts: { connectMs: 1, firstByteMs: 5_000, totalMs: 1_000 },
      }),
      attempt,
      request(clock),
    );
    const caught = p.catch((e: unknown) => e);
    await clock.advance(5_000);
    const err = (await caught) as RouteError;
    expect(err).toBeInstanceOf(RouteError);
    expect(calls).toHaveLength(3); // at 0, 400, 800; the third is cut by the deadline at 1000
    expect(err.attempts.at(-1)).toMatchObject({ outcome: 'error', durationMs: 200, error: { errorClass: 'timeout' } });
  });
});

describe('retry-after beyond maxDelayMs', () => {
  it('falls back at once when another target is left, waits when none is', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const script = { a: [{ err: fail('rate_limited', { retryAfterMs: 5_000 }) }, { ok: 'A' }], b: [{ ok: 'B' }] };
    let s = scripted(clock, script);
    const withFallback = ex.execute(plan([target('a'), target('b')], { retry: policy }), s.attempt, request(clock));
    await clock.advance(0);
    expect((await withFallback).value).toBe('B');
    expect(s.calls.map((c) => c.at - s.calls[0]!.at)).toEqual([0, 0]);

    // The fallback parked `a` for its Retry-After (rate-limits.ts): a fresh executor shows the lone-target case.
    s = scripted(clock, script);
    const alone = createRouteExecutor({ clock }).execute(
      plan([target('a')], { retry: policy }),
      s.attempt,
      request(clock),
    );
    await clock.advance(5_000);
    expect((await alone).value).toBe('A');
    expect(s.calls.map((c) => c.at - s.calls[0]!.at)).toEqual([0, 5_000]);
  });
});
