import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SamplingDecision,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import * as promClient from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createStaticPriceSource } from '../prices/static-price-source.js';
import type { CallRecord } from '../types.js';
import { createOtelMetricsSink } from './otel-metrics-sink.js';
import { createPrometheusSink } from './prometheus-sink.js';
import { priceRecord, recordCall } from './record-call.js';
import { createTracingSink } from './tracing-sink.js';

const PRICES = createStaticPriceSource({ 'gpt-test': { input: '2', output: '8', cacheRead: '0.5' } }, 'test-table');

const base = (over: Partial<CallRecord> = {}): CallRecord =>
  priceRecord(
    {
      provider: 'openai',
      operation: 'chat',
      requestModel: 'gpt-test',
      responseModel: 'gpt-test-2026',
      startTime: 1_700_000_000_000,
      durationMs: 250,
      timeToFirstTokenMs: 40,
      streaming: true,
      usage: {
        inputTokens: 1000,
        outputTokens: 500,
        cacheReadTokens: 200,
        cacheWriteTokens: 0,
        reasoningTokens: 100,
        source: 'provider',
      },
      outcome: 'ok',
      finishReasons: ['stop'],
      responseId: 'chatcmpl-1',
      serverAddress: '127.0.0.1',
      serverPort: 8080,
      attributes: { tenant: 'acme', route: 'fast' },
      ...over,
    },
    PRICES,
  );

// 800 × $2 + 200 × $0.5 = 1700 µ$; 500 × $8 = 4000 µ$ → 5,700,000 nanos.
const COST_NANOS = 5_700_000n;

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, sink: createTracingSink(provider) };
}

describe('priceRecord', () => {
  it('prices by the response model when known, else by the requested one', () => {
    expect(base().cost).toEqual({
      inputNanos: 1_700_000n,
      outputNanos: 4_000_000n,
      totalNanos: COST_NANOS,
      priceSource: 'test-table',
    });
    expect(base().unknownPrice).toBe(false);
    const log = vi.fn();
    const r = priceRecord(
      { ...base(), cost: undefined, requestModel: 'mystery', responseModel: 'mystery-1' },
      PRICES,
      log,
    );
    expect(r).toMatchObject({ unknownPrice: true });
    expect(r.cost).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(1);
  });
});

describe('tracing sink', () => {
  it('one CLIENT span "{operation} {model}" with exact semconv attributes and timing', () => {
    const { exporter, sink } = tracing();
    recordCall(base(), [sink]);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('chat gpt-test');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.request.stream': true,
      'gen_ai.response.model': 'gpt-test-2026',
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.time_to_first_chunk': 0.04,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 500,
      'gen_ai.usage.cache_read.input_tokens': 200,
      'gen_ai.usage.cache_creation.input_tokens': 0,
      'gen_ai.usage.reasoning.output_tokens': 100,
      'gen_ai.usage.cost': 0.0057,
      'switchyard.cost.nanos': '5700000',
      'switchyard.price.source': 'test-table',
      'switchyard.usage.source': 'provider',
      'server.address': '127.0.0.1',
      'server.port': 8080,
      tenant: 'acme',
      route: 'fast',
    });
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(span?.startTime as [number, number])).toBe(1_700_000_000_000);
    expect(ms(span?.endTime as [number, number])).toBe(1_700_000_000_250);
  });

  it('samplerSeesAttributes: false makes the same spans; only the sampler no longer sees the attributes', () => {
    const seen: Array<Record<string, unknown>> = [];
    const sampler = {
      shouldSample: (_c: unknown, _t: string, _n: string, _k: SpanKind, attributes: Record<string, unknown>) => {
        seen.push(attributes);
        return { decision: SamplingDecision.RECORD_AND_SAMPLED };
      },
      toString: () => 'recording',
    };
    const run = (samplerSeesAttributes?: boolean) => {
      const exporter = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] });
      const sink = createTracingSink(provider, samplerSeesAttributes === undefined ? {} : { samplerSeesAttributes });
      const failed = base({
        outcome: 'error',
        error: { errorClass: 'overloaded', retryable: true, fallbackEligible: true, message: 'busy' },
      });
      recordCall(base(), [sink]);
      recordCall(failed, [sink]);
      return exporter.getFinishedSpans().map((s) => ({
        name: s.name,
        kind: s.kind,
        attributes: s.attributes,
        status: s.status,
        startTime: s.startTime,
        endTime: s.endTime,
        droppedAttributesCount: s.droppedAttributesCount,
      }));
    };
    const defaults = run();
    expect(seen.map((a) => a['gen_ai.request.model'])).toEqual(['gpt-test', 'gpt-test']);
    seen.length = 0;
    expect(run(false)).toEqual(defaults);
    expect(seen).toEqual([{}, {}]);
    expect(defaults[1]?.attributes['error.type']).toBe('overloaded');
  });

  it('errors: status ERROR with the message, error.type = ErrorClass; gemini provider name', () => {
    const { exporter, sink } = tracing();
    recordCall(
      base({
        provider: 'gemini',
        operation: 'generate_content',
        requestModel: 'gemini-x',
        usage: undefined,
        cost: undefined,
        unknownPrice: undefined,
        outcome: 'error',
        error: {
          errorClass: 'overloaded',
          retryable: true,
          fallbackEligible: true,
          status: 503,
          providerCode: 'UNAVAILABLE',
          message: 'busy',
        },
      }),
      [sink],
    );
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('generate_content gemini-x');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'busy' });
    expect(span?.attributes['error.type']).toBe('overloaded');
    expect(span?.attributes['gen_ai.provider.name']).toBe('gcp.gemini');
    expect(span?.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
  });

  it('content only when the record carries it', () => {
    const { exporter, sink } = tracing();
    recordCall(base(), [sink]);
    recordCall(base({ content: { inputMessages: '[{"role":"user"}]', outputMessages: '[]' } }), [sink]);
    const [a, b] = exporter.getFinishedSpans();
    expect(a?.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(b?.attributes['gen_ai.input.messages']).toBe('[{"role":"user"}]');
  });
});

describe('recordCall', () => {
  it('a throwing sink is reported, never rethrown, and later sinks still run', () => {
    const seen: CallRecord[] = [];
    const onError = vi.fn();
    expect(() =>
      recordCall(
        base(),
        [
          () => {
            throw new Error('exporter down');
          },
          (r) => seen.push(r),
        ],
        undefined,
        onError,
      ),
    ).not.toThrow();
    expect(seen).toHaveLength(1);
    expect(onError).toHaveBeenCalledTimes(1);
  });
});

async function collect(
  reader: PeriodicExportingMetricReader,
  exporter: InMemoryMetricExporter,
): Promise<ResourceMetrics> {
  await reader.forceFlush();
  const all = exporter.getMetrics();
  return all[all.length - 1] as ResourceMetrics;
}

describe('otel metrics sink', () => {
  it('duration, token usage (input/output), ttfc, cost and unknown-price counters with semconv buckets', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const sink = createOtelMetricsSink(provider, { extraAttributes: ['route'] });
    recordCall(base(), [sink]);
    recordCall(
      base({
        requestModel: 'nope',
        responseModel: undefined,
        cost: undefined,
        unknownPrice: true,
        outcome: 'error',
        error: { errorClass: 'rate_limited', retryable: true, fallbackEligible: true, message: 'slow down' },
      }),
      [sink],
    );
    const rm = await collect(reader, exporter);
    const byName = Object.fromEntries(rm.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));

    const dur = byName['gen_ai.client.operation.duration'];
    expect(dur?.descriptor.unit).toBe('s');
    const durPoints = dur?.dataPoints ?? [];
    expect(durPoints).toHaveLength(2);
    const ok = durPoints.find((p) => p.attributes['error.type'] === undefined);
    expect(ok?.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.response.model': 'gpt-test-2026',
      'server.address': '127.0.0.1',
      'server.port': 8080,
      route: 'fast',
    });
    type Hist = { sum: number; buckets: { boundaries: number[] } };
    const okValue = ok?.value as Hist;
    expect(okValue.sum).toBe(0.25);
    expect(okValue.buckets.boundaries).toEqual([
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ]);
    expect(durPoints.find((p) => p.attributes['error.type'] === 'rate_limited')).toBeDefined();

    const tok = byName['gen_ai.client.token.usage']?.dataPoints ?? [];
    const sumOf = (type: string) =>
      tok
        .filter((p) => p.attributes['gen_ai.token.type'] === type)
        .reduce((s, p) => s + (p.value as { sum: number }).sum, 0);
    expect(sumOf('input')).toBe(2000);
    expect(sumOf('output')).toBe(1000);
    expect((tok[0] as { value: Hist }).value.buckets.boundaries[13]).toBe(67108864);

    const ttfc = byName['gen_ai.client.operation.time_to_first_chunk']?.dataPoints ?? [];
    expect(ttfc.map((p) => (p.value as { sum: number }).sum)).toEqual([0.04, 0.04]);
    const cost = byName['gen_ai.client.cost'];
    expect(cost?.descriptor.unit).toBe('USD');
    expect(cost?.dataPoints.map((p) => p.value)).toEqual([0.0057]);
    expect(byName['switchyard.unknown_price.calls']?.dataPoints[0]?.attributes['gen_ai.request.model']).toBe('nope');
    await provider.shutdown();
  });
});

describe('prometheus sink', () => {
  it('exposes exactly the documented names and labels', async () => {
    const registry = new promClient.Registry();
    const sink = createPrometheusSink(registry, { promClient, extraLabels: ['route'] });
    recordCall(base(), [sink]);
    recordCall(
      base({
        provider: 'anthropic',
        requestModel: 'claude-x',
        cost: undefined,
        unknownPrice: true,
        usage: undefined,
        timeToFirstTokenMs: undefined,
        outcome: 'error',
        error: { errorClass: 'overloaded', retryable: true, fallbackEligible: true, message: 'x' },
      }),
      [sink],
    );
    const text = await registry.metrics();
    const l = 'gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-test"';
    expect(text).toContain(`gen_ai_client_token_usage_sum{${l},route="fast",gen_ai_token_type="input"} 1000`);
    expect(text).toContain(`gen_ai_client_token_usage_sum{${l},route="fast",gen_ai_token_type="output"} 500`);
    expect(text).toContain(`gen_ai_client_token_usage_bucket{le="1024",${l},route="fast",gen_ai_token_type="input"} 1`);
    expect(text).toContain(`gen_ai_client_operation_duration_seconds_sum{${l},route="fast",error_type=""} 0.25`);
    expect(text).toContain(
      'gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="chat",gen_ai_provider_name="anthropic",gen_ai_request_model="claude-x",route="fast",error_type="overloaded"} 1',
    );
    expect(text).toContain(`gen_ai_client_operation_time_to_first_chunk_seconds_sum{${l},route="fast"} 0.04`);
    expect(text).toContain('switchyard_cost_usd_total{provider="openai",model="gpt-test",route="fast"} 0.0057');
    expect(text).toContain(
      'switchyard_unknown_price_calls_total{provider="anthropic",model="claude-x",route="fast"} 1',
    );
    expect(text).not.toContain(
      'gen_ai_client_token_usage_sum{gen_ai_operation_name="chat",gen_ai_provider_name="anthropic"',
    );
  });

  it('bounds label values and tolerates a second sink on the same registry', async () => {
    const registry = new promClient.Registry();
    createPrometheusSink(registry, { promClient, extraLabels: ['key'] });
    const sink = createPrometheusSink(registry, { promClient, extraLabels: ['key'], maxLabelValues: 2 });
    for (const key of ['a', 'b', 'c', 'd']) recordCall(base({ attributes: { key } }), [sink]);
    const text = await registry.metrics();
    expect(text).toContain('switchyard_cost_usd_total{provider="openai",model="gpt-test",key="a"}');
    expect(text).toContain('switchyard_cost_usd_total{provider="openai",model="gpt-test",key="__other__"} 0.0114');
    expect(text).not.toContain('key="c"');
  });

  it('keeps each series apart when label sets are reused across calls (errors, provider ids, extras)', async () => {
    const registry = new promClient.Registry();
    const sink = createPrometheusSink(registry, { promClient, extraLabels: ['route'] });
    const overloaded = { errorClass: 'overloaded' as const, retryable: true, fallbackEligible: true, message: 'x' };
    for (let i = 0; i < 3; i++) {
      recordCall(base(), [sink]);
      recordCall(base({ outcome: 'error', error: overloaded }), [sink]);
      recordCall(base({ providerId: 'openai-eu' }), [sink]);
      recordCall(base({ attributes: { route: 'slow' } }), [sink]);
    }
    const text = await registry.metrics();
    const l = 'gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_request_model="gpt-test"';
    expect(text).toContain(`gen_ai_client_operation_duration_seconds_count{${l},route="fast",error_type=""} 6`);
    expect(text).toContain(
      `gen_ai_client_operation_duration_seconds_count{${l},route="fast",error_type="overloaded"} 3`,
    );
    expect(text).toContain(`gen_ai_client_operation_duration_seconds_count{${l},route="slow",error_type=""} 3`);
    expect(text).toContain('switchyard_cost_usd_total{provider="openai-eu",model="gpt-test",route="fast"} 0.0171');
    expect(text).toContain(`gen_ai_client_token_usage_count{${l},route="slow",gen_ai_token_type="output"} 3`);
  });

  it('loads prom-client by itself when not given', async () => {
    const registry = new promClient.Registry();
    recordCall(base(), [createPrometheusSink(registry)]);
    expect(await registry.metrics()).toContain('switchyard_cost_usd_total');
  });
});
