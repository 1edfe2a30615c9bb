import type { CallRecord } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { type GatewayRequest, NO_ROUTE } from '../pipeline/seams.js';
import { createTelemetry } from './create-telemetry.js';

const req = (id: string, over: Partial<GatewayRequest> = {}): GatewayRequest => ({
  requestId: id,
  callId: id,
  endpoint: 'chat',
  model: 'fast',
  stream: false,
  estimatedInputTokens: 10,
  signal: new AbortController().signal,
  receivedAt: Date.now(),
  ...over,
});

const record = (over: Partial<CallRecord> = {}): CallRecord => ({
  provider: 'openai',
  providerId: 'openai',
  operation: 'chat',
  requestModel: 'gpt-4o',
  startTime: Date.now(),
  durationMs: 120,
  streaming: false,
  usage: {
    inputTokens: 10,
    outputTokens: 5,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    source: 'provider',
  },
  cost: { inputNanos: 25_000n, outputNanos: 50_000n, totalNanos: 75_000n, priceSource: 'test' },
  outcome: 'ok',
  requestId: 'r1',
  attributes: { keyId: 'key_a' },
  ...over,
});

async function value(
  t: Awaited<ReturnType<typeof createTelemetry>>,
  name: string,
  labels: Record<string, string> = {},
) {
  for (const m of await t.registry.getMetricsAsJSON()) {
    for (const x of m.values as Array<{ metricName?: string; labels: Record<string, unknown>; value: number }>) {
      if ((x.metricName ?? m.name) !== name) continue;
      if (Object.entries(labels).every(([k, l]) => x.labels[k] === l)) return x.value;
    }
  }
  return undefined;
}

describe('createTelemetry metrics', () => {
  it('counts a request with a fallback and maps unknown routes to other', async () => {
    const t = await createTelemetry({ metrics: { routes: ['fast'], defaultMetrics: false } });
    t.observer.requestStarted(req('r1'));
    expect(await value(t, 'switchyard_in_flight_requests')).toBe(1);
    t.observer.attemptFinished(
      record({
        outcome: 'error',
        error: { errorClass: 'overloaded', retryable: true, fallbackEligible: true, status: 529, message: 'x' },
        usage: undefined,
        cost: undefined,
      }),
      { route: 'fast', kind: 'primary' },
    );
    t.observer.attemptFinished(record({ provider: 'anthropic', providerId: 'anthropic', requestModel: 'claude' }), {
      route: 'fast',
      kind: 'fallback',
    });
    t.observer.requestFinished(req('r1'), {
      route: 'fast',
      status: 200,
      durationMs: 300,
      upstreamMs: 299,
      attempts: [
        { targetId: 'openai/gpt-4o', kind: 'primary', outcome: 'error', durationMs: 100 },
        { targetId: 'anthropic/claude', kind: 'fallback', outcome: 'ok', durationMs: 199 },
      ],
    });
    t.observer.requestStarted(req('r2', { model: 'whatever/client-sent' }));
    t.observer.requestFinished(req('r2'), {
      route: 'whatever/client-sent',
      status: 401,
      errorClass: 'auth',
      durationMs: 1,
      upstreamMs: 0,
      attempts: [],
    });

    expect(await value(t, 'switchyard_in_flight_requests')).toBe(0);
    expect(await value(t, 'switchyard_requests_total', { route: 'fast', status_class: '2xx' })).toBe(1);
    expect(await value(t, 'switchyard_requests_total', { route: 'other', error_class: 'auth' })).toBe(1);
    expect(await value(t, 'switchyard_fallbacks_total', { route: 'fast', target: 'anthropic/claude' })).toBe(1);
    expect(await value(t, 'switchyard_upstream_responses_total', { provider: 'openai', status_code: '529' })).toBe(1);
    expect(
      await value(t, 'switchyard_upstream_attempts_total', {
        provider: 'openai',
        outcome: 'error',
        error_class: 'overloaded',
      }),
    ).toBe(1);
    expect(await value(t, 'switchyard_gateway_overhead_seconds_sum', { endpoint: 'chat' })).toBeCloseTo(0.002, 6);
    expect(await value(t, 'switchyard_cost_usd_total', { provider: 'anthropic' })).toBeCloseTo(0.000075, 12);
    expect(await value(t, 'gen_ai_client_token_usage_count', { gen_ai_token_type: 'input' })).toBe(1);
    const text = await t.registry.metrics();
    expect(text).not.toContain('key_a'); // per-key labels are opt-in
    await t.shutdown();
  });

  it('reads breaker states and account gauges at scrape time, capping key labels', async () => {
    let state: 'closed' | 'open' = 'closed';
    const t = await createTelemetry(
      { metrics: { perKeyLabels: true, maxKeys: 1, defaultMetrics: false } },
      {
        breakerStates: () => [['openai/gpt-4o', state] as const],
        accountGauges: async () => ({
          reservationsOpen: 3,
          keys: [
            { keyId: 'k1', creditsRemainingNanos: 1_500_000_000n, budgets: [{ period: 'month', usedRatio: 0.5 }] },
            { keyId: 'k2', creditsRemainingNanos: 250_000_000n, budgets: [{ period: 'month', usedRatio: 0.9 }] },
          ],
        }),
      },
    );
    expect(await value(t, 'switchyard_breaker_state', { target: 'openai/gpt-4o' })).toBe(0);
    state = 'open';
    expect(await value(t, 'switchyard_breaker_state', { target: 'openai/gpt-4o' })).toBe(2);
    expect(await value(t, 'switchyard_reservations_open')).toBe(3);
    expect(await value(t, 'switchyard_credits_remaining_usd', { key: 'k1' })).toBe(1.5);
    expect(await value(t, 'switchyard_credits_remaining_usd', { key: 'other' })).toBe(0.25);
    expect(await value(t, 'switchyard_budget_used_ratio', { key: 'other', period: 'month' })).toBe(0.9);
  });

  it('aggregates account gauges under key="_all" without per-key labels', async () => {
    const t = await createTelemetry(
      { metrics: { defaultMetrics: false } },
      {
        accountGauges: () => ({
          reservationsOpen: 0,
          keys: [
            { keyId: 'k1', creditsRemainingNanos: 1n, budgets: [{ period: 'day', usedRatio: 0.2 }] },
            { keyId: 'k2', creditsRemainingNanos: 2n, budgets: [{ period: 'day', usedRatio: 0.7 }] },
          ],
        }),
      },
    );
    expect(await value(t, 'switchyard_credits_remaining_usd', { key: '_all' })).toBeCloseTo(3e-9, 15);
    expect(await value(t, 'switchyard_budget_used_ratio', { key: '_all', period: 'day' })).toBe(0.7);
    expect(await t.registry.metrics()).not.toMatch(/key="k[12]"/);
  });

  it('classes refusals without an error class by status, and keeps backoff out of overhead', async () => {
    const t = await createTelemetry({ metrics: { routes: ['fast'], defaultMetrics: false } });
    t.observer.requestStarted(req('a'));
    t.observer.requestFinished(req('a'), { route: 'fast', status: 401, durationMs: 1, upstreamMs: 0, attempts: [] });
    t.observer.requestStarted(req('b'));
    t.observer.requestFinished(req('b'), {
      route: 'fast',
      status: 429,
      errorClass: 'rate_limited',
      durationMs: 1200, // 1 s of it was a Retry-After sleep
      upstreamMs: 200,
      attempts: [
        { targetId: 'openai/gpt-4o', kind: 'primary', outcome: 'error', durationMs: 100 },
        { targetId: 'openai/gpt-4o', kind: 'retry', outcome: 'error', durationMs: 100 },
      ],
    });
    expect(await value(t, 'switchyard_requests_total', { status_class: '4xx', error_class: 'auth' })).toBe(1);
    expect(await value(t, 'switchyard_retries_total', { route: 'fast', target: 'openai/gpt-4o' })).toBe(1);
    // Without `waitMs` the retried request cannot be corrected, so it is left out.
    expect(await value(t, 'switchyard_gateway_overhead_seconds_count', { endpoint: 'chat' })).toBe(1);
    expect(await value(t, 'switchyard_gateway_overhead_seconds_sum', { endpoint: 'chat' })).toBeCloseTo(0.001, 6);
  });

  it('includes retried requests in overhead once the backoff sleep is reported (waitMs)', async () => {
    const t = await createTelemetry({ metrics: { routes: ['fast'], defaultMetrics: false } });
    t.observer.requestStarted(req('c'));
    t.observer.requestFinished(req('c'), {
      route: 'fast',
      status: 200,
      durationMs: 1_203,
      upstreamMs: 200,
      waitMs: 1_000, // a Retry-After sleep: policy, not overhead
      attempts: [
        { targetId: 'openai/gpt-4o', kind: 'primary', outcome: 'error', durationMs: 100 },
        { targetId: 'openai/gpt-4o', kind: 'retry', outcome: 'ok', durationMs: 100 },
      ],
    });
    expect(await value(t, 'switchyard_gateway_overhead_seconds_count', { endpoint: 'chat' })).toBe(1);
    expect(await value(t, 'switchyard_gateway_overhead_seconds_sum', { endpoint: 'chat' })).toBeCloseTo(0.003, 6);
  });

  it('counts requests refused before a plan (NO_ROUTE) as route other, without latency samples', async () => {
    const t = await createTelemetry({ metrics: { routes: ['fast'], defaultMetrics: false } });
    t.observer.requestStarted(req('d'));
    t.observer.requestFinished(req('d'), { route: NO_ROUTE, status: 404, durationMs: 0, upstreamMs: 0, attempts: [] });
    const labels = { route: 'other', endpoint: 'chat', status_class: '4xx', error_class: 'not_found' };
    expect(await value(t, 'switchyard_requests_total', labels)).toBe(1);
    expect(await value(t, 'switchyard_in_flight_requests')).toBe(0);
    expect(await value(t, 'switchyard_request_duration_seconds_count', { route: 'other' })).toBeUndefined();
    expect(await value(t, 'switchyard_gateway_overhead_seconds_count', { endpoint: 'chat' })).toBeUndefined();
  });

  it('never throws into the request path', async () => {
    const t = await createTelemetry(
      { metrics: { defaultMetrics: false } },
      {
        breakerStates: () => {
          throw new Error('boom');
        },
      },
    );
    const bad = { ...record(), requestModel: undefined } as unknown as CallRecord;
    expect(() => t.observer.attemptFinished(bad, { route: 'x', kind: 'primary' })).not.toThrow();
  });

  it('serves the Prometheus text format', async () => {
    const t = await createTelemetry();
    const chunks: string[] = [];
    let status = 0;
    const res = {
      writeHead: (s: number) => {
        status = s;
      },
      end: (b: string) => chunks.push(b),
    } as unknown as Parameters<typeof t.metricsHandler>[1];
    t.metricsHandler({} as Parameters<typeof t.metricsHandler>[0], res);
    await new Promise((r) => setTimeout(r, 50));
    expect(status).toBe(200);
    expect(chunks.join('')).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(chunks.join('')).toContain('# TYPE switchyard_gateway_overhead_seconds histogram');
  });
});
