import type { ErrorClass } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { RouteError } from '../pipeline/seams.js';
import { createRouteExecutor } from './executor.js';
import { FakeClock } from './testing/fake-clock.js';
import { fail, plan, request, scripted, target } from './testing/fixtures.js';

const retryTwice = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 };

async function run(errorClass: ErrorClass, extra: { fallbackOn?: string[] } = {}) {
  const clock = new FakeClock();
  const ex = createRouteExecutor({ clock, random: () => 0 });
  const { attempt, calls } = scripted(clock, { a: [{ err: fail(errorClass) }], b: [{ ok: 'B' }] });
  const p = ex.execute(plan([target('a'), target('b')], { retry: retryTwice, ...extra }), attempt, request(clock));
  const caught = p.catch((e: unknown) => e);
  await clock.advance(1_000);
  const result = await caught;
  return { result, path: calls.map((c) => `${c.targetId}:${c.ctx.kind}`) };
}

describe('each fault class → retry, fallback or final', () => {
  const cases: Array<[ErrorClass, string[], 'B' | 'final']> = [
    ['rate_limited', ['a:primary', 'a:retry', 'b:fallback'], 'B'],
    ['overloaded', ['a:primary', 'a:retry', 'b:fallback'], 'B'],
    ['upstream_5xx', ['a:primary', 'a:retry', 'b:fallback'], 'B'],
    ['connection', ['a:primary', 'a:retry', 'b:fallback'], 'B'],
    ['timeout', ['a:primary', 'a:retry', 'b:fallback'], 'B'],
    ['quota_exhausted', ['a:primary', 'b:fallback'], 'B'],
    ['stream_interrupted', ['a:primary', 'b:fallback'], 'B'],
    ['bad_request', ['a:primary'], 'final'],
    ['context_length', ['a:primary'], 'final'],
    ['content_filter', ['a:primary'], 'final'],
  ];
  for (const [cls, path, outcome] of cases) {
    it(`${cls}: ${path.join(' → ')} → ${outcome}`, async () => {
      const r = await run(cls);
      expect(r.path).toEqual(path);
      if (outcome === 'B') expect(r.result).toMatchObject({ value: 'B', target: { id: 'b' } });
      else expect(r.result).toMatchObject({ name: 'RouteError', info: { errorClass: cls } });
    });
  }

  it('fallbackOn extras move context_length and content_filter on', async () => {
    for (const cls of ['context_length', 'content_filter'] as const) {
      const r = await run(cls, { fallbackOn: ['context_length', 'content_filter'] });
      expect(r.path).toEqual(['a:primary', 'b:fallback']);
      expect(r.result).toMatchObject({ value: 'B' });
    }
  });
});

describe('committed attempts', () => {
  it('a committed failure is final: no retry, no fallback, even for fallback-eligible classes', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt, calls } = scripted(clock, {
      a: [{ err: fail('stream_interrupted', {}, true) }],
      b: [{ ok: 'B' }],
    });
    const p = ex.execute(plan([target('a'), target('b')], { retry: retryTwice }), attempt, request(clock));
    const err = (await p.catch((e: unknown) => e)) as RouteError;
    expect(err).toBeInstanceOf(RouteError);
    expect(err.info.errorClass).toBe('stream_interrupted');
    expect(calls.map((c) => c.targetId)).toEqual(['a']);
  });
});

describe('timeouts and deadline', () => {
  it('a hang hits the first-byte timeout, then falls back', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt, calls } = scripted(clock, { a: ['hang'], b: [{ ok: 'B' }] });
    const p = ex.execute(
      plan([target('a'), target('b')], { timeouts: { connectMs: 100, firstByteMs: 2_000, totalMs: 30_000 } }),
      attempt,
      request(clock),
    );
    await clock.advance(2_000);
    const res = await p;
    expect(res.value).toBe('B');
    expect(calls[0]!.ctx.signal.aborted).toBe(true);
    expect(calls[1]!.at - calls[0]!.at).toBe(2_000);
    expect(res.attempts[0]).toMatchObject({ outcome: 'error', durationMs: 2_000, error: { errorClass: 'timeout' } });
  });

  it('firstByte() disarms the first-byte timeout but the deadline still applies', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const attempt = (_t: unknown, ctx: { firstByte(): void; signal: AbortSignal }) =>
      new Promise<string>((resolve, reject) => {
        clock.schedule(() => ctx.firstByte(), 500);
        clock.schedule(() => resolve('slow body'), 3_000);
        ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
    const res = ex.execute(
      plan([target('a')], { timeouts: { connectMs: 100, firstByteMs: 1_000, totalMs: 10_000 } }),
      attempt,
      request(clock),
    );
    await clock.advance(3_000);
    expect((await res).value).toBe('slow body');

    const res2 = ex
      .execute(
        plan([target('a')], { timeouts: { connectMs: 100, firstByteMs: 1_000, totalMs: 2_000 } }),
        attempt,
        request(clock),
      )
      .catch((e: unknown) => e);
    await clock.advance(3_000);
    expect(await res2).toMatchObject({ info: { errorClass: 'timeout', message: 'request deadline exceeded' } });
  });

  it('ctx carries the deadline, attempt number and a signal that follows the client', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const client = new AbortController();
    const { attempt, calls } = scripted(clock, { a: ['hang'] });
    const req = request(clock, { signal: client.signal });
    const p = ex.execute(plan([target('a')]), attempt, req).catch((e: unknown) => e);
    await clock.advance(10);
    expect(calls[0]!.ctx).toMatchObject({ deadline: req.receivedAt + 30_000, attemptNumber: 1, kind: 'primary' });
    client.abort();
    expect(calls[0]!.ctx.signal.aborted).toBe(true);
    const err = (await p) as RouteError;
    expect(err.info.errorClass).toBe('cancelled');
    expect(err.attempts[0]).toMatchObject({ outcome: 'cancelled' });
  });

  it('single strategy never falls back', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const { attempt, calls } = scripted(clock, { a: [{ err: fail('upstream_5xx') }], b: [{ ok: 'B' }] });
    const err = await ex
      .execute(plan([target('a'), target('b')], { strategy: 'single' }), attempt, request(clock))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouteError);
    expect(calls.map((c) => c.targetId)).toEqual(['a']);
  });
});
