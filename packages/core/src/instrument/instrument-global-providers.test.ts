// instrument() with no providers passed uses the global OTel ones — including ones registered after it ran. The
// one-line usage is a module-scope `const openai = instrument(new OpenAI())`; ESM evaluates an app's imports before
// its own body, so that line runs before the app's `sdk.start()` registers the global tracer and meter providers.
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type Simulator, startSimulator } from '@switchyard/simulators';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { instrument } from './instrument.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ provider: 'openai', port: 0 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  metrics.disable();
  trace.disable();
});

const messages = [{ role: 'user' as const, content: 'Say hello to the late SDK' }];

function globalProviders() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  return {
    meterProvider,
    register() {
      metrics.setGlobalMeterProvider(meterProvider);
      trace.setGlobalTracerProvider(tracerProvider);
    },
    spans,
    /** Data points per metric name, as the reader collects them now. */
    async points(): Promise<Record<string, number>> {
      await reader.forceFlush();
      const all = exporter.getMetrics();
      const rm = all[all.length - 1] as ResourceMetrics | undefined;
      const out: Record<string, number> = {};
      for (const m of rm?.scopeMetrics.flatMap((s) => s.metrics) ?? []) {
        out[m.descriptor.name] = m.dataPoints.reduce(
          (n, p) => n + (typeof p.value === 'number' ? 1 : (p.value as { count: number }).count),
          0,
        );
      }
      return out;
    },
    async shutdown() {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
    },
  };
}

describe('instrument() and the global OTel providers', () => {
  it('a client wrapped before the SDK registers its providers records metrics and spans once they are', async () => {
    const client = instrument(new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 }));
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages }); // nothing registered: no-op, no error
    const otel = globalProviders();
    otel.register(); // the app's sdk.start(), after its imports ran
    try {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      const points = await otel.points();
      expect(points['gen_ai.client.operation.duration']).toBe(1);
      expect(points['gen_ai.client.token.usage']).toBe(2); // input and output
      expect(points['gen_ai.client.cost']).toBe(1);
      expect(otel.spans.getFinishedSpans().map((s) => s.name)).toEqual(['chat gpt-4o-mini']);
    } finally {
      await otel.shutdown();
    }
  });

  it('follows a provider replaced at run time (shutdown, then a new SDK registered)', async () => {
    const client = instrument(new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 }));
    const first = globalProviders();
    first.register();
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect((await first.points())['gen_ai.client.operation.duration']).toBe(1);
    expect(first.spans.getFinishedSpans()).toHaveLength(1);
    await first.shutdown(); // (its exporter forgets its spans)
    metrics.disable();
    trace.disable();
    const second = globalProviders();
    second.register();
    try {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      expect((await second.points())['gen_ai.client.operation.duration']).toBe(2);
      expect(second.spans.getFinishedSpans()).toHaveLength(2);
    } finally {
      await second.shutdown();
    }
  });

  it('an explicit meterProvider is used as given, whatever is registered globally', async () => {
    const mine = globalProviders();
    const global = globalProviders();
    global.register();
    const client = instrument(new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 }), {
      meterProvider: mine.meterProvider,
    });
    try {
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
      expect((await mine.points())['gen_ai.client.operation.duration']).toBe(1);
      expect((await global.points())['gen_ai.client.operation.duration']).toBeUndefined();
    } finally {
      await mine.shutdown();
      await global.shutdown();
    }
  });
});
