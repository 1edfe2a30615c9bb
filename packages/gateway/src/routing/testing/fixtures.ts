// Test support: plans, requests and scripted attempts for the executor tests.
import type { ErrorClass, ErrorInfo } from '@switchyard/core';
import type { AttemptContext, GatewayRequest, RoutePlan, RouteTarget } from '../../pipeline/seams.js';
import { AttemptError } from '../../pipeline/seams.js';
import type { FakeClock } from './fake-clock.js';

export function target(id: string, extra: Partial<RouteTarget> = {}): RouteTarget {
  const [providerId = id, model = id] = id.split('/');
  return { id, providerId, kind: 'openai', baseURL: 'http://127.0.0.1:1', model, ...extra };
}

export function plan(targets: RouteTarget[], extra: Partial<RoutePlan> = {}): RoutePlan {
  return {
    name: 'test',
    strategy: 'fallback',
    targets,
    retry: { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 1_000 },
    fallbackOn: [],
    timeouts: { connectMs: 1_000, firstByteMs: 5_000, totalMs: 30_000 },
    ...extra,
  };
}

export function request(clock: FakeClock, extra: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    requestId: 'req-1',
    callId: 'req-1',
    endpoint: 'chat',
    model: 'test',
    stream: false,
    estimatedInputTokens: 100,
    signal: new AbortController().signal,
    receivedAt: clock.now(),
    ...extra,
  };
}

/** ErrorInfo with the taxonomy's usual flags for a class (as core's tables would give). */
export function info(errorClass: ErrorClass, extra: Partial<ErrorInfo> = {}): ErrorInfo {
  const retryable = ['rate_limited', 'overloaded', 'timeout', 'connection', 'upstream_5xx'].includes(errorClass);
  const fallbackEligible =
    retryable || ['quota_exhausted', 'stream_interrupted', 'auth', 'not_found'].includes(errorClass);
  return { errorClass, retryable, fallbackEligible, message: errorClass, ...extra };
}

export const fail = (errorClass: ErrorClass, extra: Partial<ErrorInfo> = {}, committed = false) =>
  new AttemptError(info(errorClass, extra), committed);

export type Step = { ok: string; after?: number } | { err: AttemptError; after?: number } | 'hang';

export interface Call {
  targetId: string;
  ctx: AttemptContext;
  at: number;
}

/**
 * An attempt driven by a script per target id: each call takes the next step (the last repeats).
 * `after` = ms on the fake clock before settling. 'hang' never settles unless aborted.
 */
export function scripted(clock: FakeClock, script: Record<string, Step[]>) {
  const calls: Call[] = [];
  const used: Record<string, number> = {};
  const attempt = (t: RouteTarget, ctx: AttemptContext): Promise<string> => {
    calls.push({ targetId: t.id, ctx, at: clock.now() });
    const steps = script[t.id] ?? [];
    const n = used[t.id] ?? 0;
    used[t.id] = n + 1;
    const step = steps[Math.min(n, steps.length - 1)];
    return new Promise<string>((resolve, reject) => {
      ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      if (!step || step === 'hang') return;
      const settle = () => ('ok' in step ? resolve(step.ok) : reject(step.err));
      if (step.after) clock.schedule(settle, step.after);
      else settle();
    });
  };
  return { attempt, calls };
}
