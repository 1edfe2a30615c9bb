import { buildErrorInfo, type ErrorInfo } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import {
  type AttemptContext,
  AttemptError,
  type GatewayRequest,
  RouteError,
  type RoutePlan,
  type RouteTarget,
} from './seams.js';
import { createSimpleExecutor } from './simple-executor.js';

const target = (id: string): RouteTarget => {
  const [providerId = '', model = ''] = id.split('/');
  return { id, providerId, model, kind: 'openai', baseURL: 'http://127.0.0.1:1/v1' };
};
const plan = (ids: string[], extra: Partial<RoutePlan> = {}): RoutePlan => ({
  name: 'r',
  strategy: 'fallback',
  targets: ids.map(target),
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  fallbackOn: [],
  timeouts: { connectMs: 100, firstByteMs: 100, totalMs: 2_000 },
  ...extra,
});
const req = (signal = new AbortController().signal): GatewayRequest => ({
  requestId: 'r1',
  callId: 'r1',
  endpoint: 'chat',
  model: 'r',
  stream: false,
  estimatedInputTokens: 1,
  signal,
  receivedAt: Date.now(),
});
const fail = (info: ErrorInfo, committed = false) => Promise.reject(new AttemptError(info, committed));

describe('createSimpleExecutor', () => {
  it('retries a retryable error on the same target, then succeeds', async () => {
    const seen: string[] = [];
    const result = await createSimpleExecutor().execute(
      plan(['a/m', 'b/m']),
      (t, ctx: AttemptContext) => {
        seen.push(`${t.id}:${ctx.kind}`);
        return seen.length === 1
          ? fail(buildErrorInfo('rate_limited', 'slow down', { retryAfterMs: 1 }))
          : Promise.resolve(1);
      },
      req(),
    );
    expect(seen).toEqual(['a/m:primary', 'a/m:retry']);
    expect(result.attempts.map((a) => a.outcome)).toEqual(['error', 'ok']);
  });

  it('falls back on fallback-eligible errors and on plan.fallbackOn', async () => {
    const seen: string[] = [];
    const r = await createSimpleExecutor().execute(
      plan(['a/m', 'b/m', 'c/m'], { fallbackOn: ['bad_request'] }),
      (t) => {
        seen.push(t.id);
        if (t.id === 'a/m') return fail(buildErrorInfo('auth', 'no'));
        if (t.id === 'b/m') return fail(buildErrorInfo('bad_request', 'nope'));
        return Promise.resolve('ok');
      },
      req(),
    );
    expect(seen).toEqual(['a/m', 'b/m', 'c/m']);
    expect(r.target.id).toBe('c/m');
  });

  it('stops at a non-fallback error and never retries a committed one', async () => {
    let calls = 0;
    const bad = await createSimpleExecutor()
      .execute(
        plan(['a/m', 'b/m']),
        () => {
          calls++;
          return fail(buildErrorInfo('bad_request', 'x'));
        },
        req(),
      )
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(RouteError);
    expect(calls).toBe(1);
    calls = 0;
    const committed = await createSimpleExecutor()
      .execute(
        plan(['a/m', 'b/m']),
        () => {
          calls++;
          return fail(buildErrorInfo('upstream_5xx', 'x'), true);
        },
        req(),
      )
      .catch((e: unknown) => e);
    expect((committed as RouteError).info.errorClass).toBe('upstream_5xx');
    expect(calls).toBe(1);
  });

  it('is bounded by the attempt cap and the deadline', async () => {
    let calls = 0;
    const err = await createSimpleExecutor({ maxTotalAttempts: 3 })
      .execute(
        plan(['a/m', 'b/m', 'c/m'], { retry: { maxAttempts: 5, baseDelayMs: 0, maxDelayMs: 0 } }),
        () => {
          calls++;
          return fail(buildErrorInfo('overloaded', 'busy'));
        },
        req(),
      )
      .catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect((err as RouteError).attempts).toHaveLength(3);
    let late = 0;
    const r = req();
    r.receivedAt = Date.now() - 5_000; // deadline already passed
    await expect(
      createSimpleExecutor().execute(
        plan(['a/m']),
        () => {
          late++;
          return Promise.resolve(1);
        },
        r,
      ),
    ).rejects.toBeInstanceOf(RouteError);
    expect(late).toBe(0);
  });

  it("aborts an attempt's signal at the deadline (the pipeline relies on it) and reports a timeout", async () => {
    const r = req();
    r.receivedAt = Date.now() - 1_900; // 100 ms left of the plan's 2 s
    let signal: AbortSignal | undefined;
    const t0 = Date.now();
    const err = await createSimpleExecutor()
      .execute(
        plan(['a/m']),
        (_t, ctx) =>
          new Promise((_resolve, reject) => {
            signal = ctx.signal;
            ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
          }),
        r,
      )
      .catch((e: unknown) => e);
    expect(signal?.aborted).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect((err as RouteError).info).toMatchObject({ errorClass: 'timeout', message: 'request deadline exceeded' });
  });

  it('gives up when the client is gone', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await createSimpleExecutor()
      .execute(plan(['a/m']), () => Promise.resolve(1), req(ac.signal))
      .catch((e: unknown) => e);
    expect((err as RouteError).info.errorClass).toBe('cancelled');
  });
});
