// OTLP proof: spans from the gateway's telemetry reach a real OTLP/HTTP receiver with the right tree and attributes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../packages/core/src/index.js';
import type { GatewayRequest } from '../../packages/gateway/src/pipeline/seams.js';
import { createTelemetry } from '../../packages/gateway/src/telemetry/index.js';
import { attrs, type OtlpSpan, startOtlpReceiver } from './otlp-receiver.js';
import { startRealGateway } from './real-gateway.js';

const SERVER = 2;
const CLIENT = 3;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

const req = (requestId: string): GatewayRequest => ({
  requestId,
  callId: requestId,
  endpoint: 'chat',
  model: 'fast',
  stream: false,
  estimatedInputTokens: 10,
  signal: new AbortController().signal,
  receivedAt: Date.now(),
});

const record = (requestId: string, over: Partial<CallRecord>): CallRecord => ({
  provider: 'openai',
  providerId: 'openai',
  operation: 'chat',
  requestModel: 'gpt-4o',
  startTime: Date.now() - 50,
  durationMs: 50,
  streaming: false,
  outcome: 'ok',
  requestId,
  attributes: { route: 'fast', keyId: 'key_alpha' },
  ...over,
});

/** One request: primary fails (overloaded), fallback to Anthropic succeeds, the way the pipeline reports it. */
async function fallbackRequest(
  t: Awaited<ReturnType<typeof createTelemetry>>,
  id: string,
  headers: Record<string, string>,
) {
  await t.withServerSpan(
    headers,
    async () => {
      t.observer.requestStarted(req(id));
      await new Promise((r) => setTimeout(r, 5));
      t.observer.attemptFinished(
        record(id, {
          outcome: 'error',
          error: { errorClass: 'overloaded', retryable: true, fallbackEligible: true, status: 529, message: 'busy' },
        }),
        { route: 'fast', kind: 'primary' },
      );
      t.observer.attemptFinished(
        record(id, {
          provider: 'anthropic',
          providerId: 'anthropic',
          requestModel: 'claude-sonnet-4-5',
          usage: {
            inputTokens: 12,
            outputTokens: 7,
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
            reasoningTokens: 0,
            source: 'provider',
          },
        }),
        { route: 'fast', kind: 'fallback' },
      );
      t.observer.requestFinished(req(id), {
        route: 'fast',
        status: 200,
        durationMs: 120,
        upstreamMs: 100,
        attempts: [
          { targetId: 'openai/gpt-4o', kind: 'primary', outcome: 'error', durationMs: 50 },
          { targetId: 'anthropic/claude-sonnet-4-5', kind: 'fallback', outcome: 'ok', durationMs: 50 },
        ],
      });
    },
    { method: 'POST', route: '/v1/chat/completions' },
  );
}

describe('gateway tracing over OTLP/HTTP', () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.stop();
  });

  it.each([
    { protocol: undefined, contentType: 'application/x-protobuf' },
    { protocol: 'http/json' as const, contentType: 'application/json' },
  ])('continues traceparent: SERVER span with CLIENT attempt spans as children ($contentType)', async (c) => {
    const t = await createTelemetry({
      metrics: { defaultMetrics: false },
      tracing: { enabled: true, endpoint: receiver.endpoint, ...(c.protocol && { protocol: c.protocol }) },
    });
    expect(t.tracerProvider).toBeDefined();
    await fallbackRequest(t, 'req-1', { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` });
    await t.shutdown(); // flushes the batch processor

    expect(receiver.contentTypes).toEqual([expect.stringContaining(c.contentType)]);
    const server = receiver.spans.filter((s) => s.kind === SERVER);
    expect(server).toHaveLength(1);
    const root = server[0] as OtlpSpan;
    expect(root.name).toBe('POST /v1/chat/completions');
    expect(root.traceId).toBe(TRACE_ID);
    expect(root.parentSpanId).toBe(PARENT_ID);
    expect(attrs(root.attributes)).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/v1/chat/completions',
      'http.response.status_code': 200,
      'switchyard.route': 'fast',
    });
    expect(root.events?.map((e) => e.name)).toEqual(['switchyard.primary', 'switchyard.fallback']);
    expect(attrs(root.events?.[1]?.attributes)).toMatchObject({ 'switchyard.target': 'anthropic/claude-sonnet-4-5' });

    const clients = receiver.spans.filter((s) => s.kind === CLIENT);
    expect(clients.map((s) => s.name).sort()).toEqual(['chat claude-sonnet-4-5', 'chat gpt-4o']);
    for (const c of clients) {
      expect(c.traceId).toBe(TRACE_ID);
      expect(c.parentSpanId).toBe(root.spanId);
    }
    const failed = clients.find((s) => s.name === 'chat gpt-4o') as OtlpSpan;
    expect(failed.status?.code).toBe(2);
    expect(attrs(failed.attributes)).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'error.type': 'overloaded',
      'switchyard.attempt.kind': 'primary',
    });
    const ok = clients.find((s) => s.name === 'chat claude-sonnet-4-5') as OtlpSpan;
    expect(ok.status?.code ?? 0).toBe(0);
    expect(attrs(ok.attributes)).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 7,
      'switchyard.attempt.kind': 'fallback',
    });
    // No secrets or content: the key id may appear as attribution, never a key or message text.
    expect(JSON.stringify(receiver.spans)).not.toMatch(/sk-|gen_ai\.input\.messages/);
  });

  it("parents an attempt reported outside the request's async context, by request id", async () => {
    const t = await createTelemetry({
      metrics: { defaultMetrics: false },
      tracing: { enabled: true, endpoint: receiver.endpoint },
    });
    await t.withServerSpan({}, async () => t.observer.requestStarted(req('late')));
    // The handler returned (e.g. a stream completing on a socket callback): no active span any more.
    t.observer.attemptFinished(record('late', {}), { route: 'fast', kind: 'primary' });
    t.observer.requestFinished(req('late'), { route: 'fast', status: 200, durationMs: 1, upstreamMs: 1, attempts: [] });
    await t.shutdown();
    const root = receiver.spans.find((s) => s.kind === SERVER) as OtlpSpan;
    const client = receiver.spans.find((s) => s.kind === CLIENT) as OtlpSpan;
    expect(root.parentSpanId ?? '').toBe('');
    expect(client.parentSpanId).toBe(root.spanId);
    expect(client.traceId).toBe(root.traceId);
  });

  it('sampleRatio 0 drops new traces but follows a sampled parent', async () => {
    const t = await createTelemetry({
      metrics: { defaultMetrics: false },
      tracing: { enabled: true, endpoint: receiver.endpoint, sampleRatio: 0 },
    });
    await fallbackRequest(t, 'unsampled', {});
    await fallbackRequest(t, 'sampled', { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` });
    await t.shutdown();
    expect(new Set(receiver.spans.map((s) => s.traceId))).toEqual(new Set([TRACE_ID]));
    expect(receiver.spans).toHaveLength(3);
  });

  it('is off without an endpoint: no provider, the handler still runs', async () => {
    const t = await createTelemetry({ metrics: { defaultMetrics: false } });
    expect(t.tracerProvider).toBeUndefined();
    expect(await t.withServerSpan({}, async (span) => (span ? 'span' : 'plain'))).toBe('plain');
    await t.shutdown();
    expect(receiver.spans).toHaveLength(0);
  });

  it('a real gateway request: SERVER span from the HTTP shell, CLIENT spans for the failed primary and the fallback', async () => {
    const gw = await startRealGateway({ otlpEndpoint: receiver.endpoint });
    try {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${gw.keys.alpha}`,
          traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`,
        },
        body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 }),
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    } finally {
      await gw.stop(); // flushes spans
    }
    const root = receiver.spans.find((s) => s.kind === SERVER) as OtlpSpan;
    expect(root.name).toBe('POST /v1/chat/completions');
    expect(root.traceId).toBe(TRACE_ID);
    expect(root.parentSpanId).toBe(PARENT_ID);
    expect(attrs(root.attributes)).toMatchObject({ 'http.response.status_code': 200, 'switchyard.route': 'smart' });
    expect(root.events?.map((e) => e.name)).toEqual(['switchyard.primary', 'switchyard.retry', 'switchyard.fallback']);
    const clients = receiver.spans.filter((s) => s.kind === CLIENT);
    expect(clients.map((c) => attrs(c.attributes)['switchyard.attempt.kind'])).toEqual([
      'primary',
      'retry',
      'fallback',
    ]);
    for (const c of clients) expect(c.parentSpanId).toBe(root.spanId);
    const fallback = attrs(clients[2]?.attributes);
    expect(fallback).toMatchObject({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1' });
    expect(attrs(clients[0]?.attributes)['error.type']).toBe('overloaded');
    // Neither the virtual key nor the provider key leaks into spans.
    const all = JSON.stringify(receiver.spans);
    expect(all).not.toContain(gw.keys.alpha);
    expect(all).not.toContain('sk-sim-observability');
  });

  it('finds the SERVER span by the headers object after an await; without it only asyncContext does', async () => {
    /** One request announced after an await, with or without its headers object; true when its CLIENT span is a child. */
    const parented = async (asyncContext: boolean, withHeaders: boolean): Promise<boolean> => {
      receiver.spans.length = 0;
      const t = await createTelemetry({
        metrics: { defaultMetrics: false },
        tracing: { enabled: true, endpoint: receiver.endpoint, asyncContext },
      });
      const headers = { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` };
      await t.withServerSpan(headers, async () => {
        await new Promise((r) => setTimeout(r, 1));
        t.observer.requestStarted(req('late'), withHeaders ? headers : undefined);
        t.observer.attemptFinished(record('late', {}), { route: 'fast', kind: 'primary' });
        t.observer.requestFinished(req('late'), { route: '', status: 404, durationMs: 1, upstreamMs: 0, attempts: [] });
      });
      await t.shutdown();
      const root = receiver.spans.find((s) => s.kind === SERVER) as OtlpSpan;
      const client = receiver.spans.find((s) => s.kind === CLIENT) as OtlpSpan;
      const annotated = attrs(root.attributes)['http.response.status_code'] === 404;
      const child = client.parentSpanId === root.spanId && client.traceId === TRACE_ID;
      expect(annotated).toBe(child); // the SERVER span is annotated exactly when it was found
      return child;
    };
    expect(await parented(false, true)).toBe(true);
    expect(await parented(false, false)).toBe(false);
    expect(await parented(true, true)).toBe(true);
    expect(await parented(true, false)).toBe(true);
  });

  it('a real gateway under concurrent requests: each CLIENT span under its own SERVER span; early refusals annotated', async () => {
    const gw = await startRealGateway({ otlpEndpoint: receiver.endpoint });
    const traceIds = Array.from({ length: 6 }, (_, i) => `${String(i + 1).padStart(2, '0')}${TRACE_ID.slice(2)}`);
    const statuses: number[] = [];
    try {
      await Promise.all(
        traceIds.map(async (traceId, i) => {
          const res = await fetch(`${gw.url}/v1/chat/completions`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${gw.keys.alpha}`,
              traceparent: `00-${traceId}-${PARENT_ID}-01`,
            },
            // The last one names no configured model: refused before a plan, after the key check's await.
            body: JSON.stringify({
              model: i === traceIds.length - 1 ? 'no-such-route' : 'openai/gpt-4o-mini',
              messages: [{ role: 'user', content: `hi ${i}` }],
              max_tokens: 8,
            }),
            signal: AbortSignal.timeout(10_000),
          });
          statuses[i] = res.status;
          await res.arrayBuffer();
        }),
      );
    } finally {
      await gw.stop(); // flushes spans
    }
    const refused = statuses.at(-1) ?? 0;
    expect(statuses.slice(0, -1)).toEqual(Array(traceIds.length - 1).fill(200));
    expect(refused).toBeGreaterThanOrEqual(400);
    expect(refused).toBeLessThan(500);
    for (const [i, traceId] of traceIds.entries()) {
      const root = receiver.spans.find((s) => s.kind === SERVER && s.traceId === traceId) as OtlpSpan;
      expect(attrs(root.attributes)['http.response.status_code']).toBe(statuses[i]);
      const clients = receiver.spans.filter((s) => s.kind === CLIENT && s.traceId === traceId);
      expect(clients).toHaveLength(i === traceIds.length - 1 ? 0 : 1);
      for (const c of clients) expect(c.parentSpanId).toBe(root.spanId);
    }
    expect(receiver.spans.filter((s) => s.kind === CLIENT)).toHaveLength(traceIds.length - 1);
  });
});
