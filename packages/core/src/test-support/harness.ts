// Test-only: in-memory telemetry + a fixed price table for instrument() tests.
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { InstrumentOptions } from '../instrument/instrument-options.js';
import { computeCost } from '../prices/compute-cost.js';
import { createGenAIPricesSource } from '../prices/genai-prices-source.js';
import type { ModelPrice } from '../prices/price-types.js';
import { createStaticPriceSource } from '../prices/static-price-source.js';
import { createTracingSink } from '../telemetry/tracing-sink.js';
import type { CallRecord, Usage } from '../types.js';

export const TEST_PRICES = createStaticPriceSource(
  {
    'gpt-4o-mini': { input: '0.15', output: '0.6', cacheRead: '0.075' },
    'text-embedding-3-small': { input: '0.02', output: '0' },
    'claude-sonnet-4-5': { input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75' },
    'gemini-2.5-flash': { input: '0.3', output: '2.5', cacheRead: '0.03' },
    'gemini-embedding-001': { input: '0.15', output: '0' },
  },
  'test-table',
);

export function costOf(model: string, usage: Usage): bigint {
  return computeCost(usage, TEST_PRICES.lookup('x', model) as ModelPrice).totalNanos;
}

/** The real bundled catalog, as instrument() uses by default: the cloud tests price through it. */
export const CATALOG_PRICES = createGenAIPricesSource();

/** What the catalog charges `usage` on `model` of provider kind `provider` (undefined: no price). */
export function catalogCostOf(provider: string, model: string, usage: Usage): bigint | undefined {
  const price = CATALOG_PRICES.lookup(provider, model);
  return price ? computeCost(usage, price).totalNanos : undefined;
}

export function harness(extra: InstrumentOptions = {}) {
  const records: CallRecord[] = [];
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const options: InstrumentOptions = {
    sinks: [createTracingSink(tracerProvider)],
    priceSource: TEST_PRICES,
    onRecord: (r) => records.push(r),
    ...extra,
  };
  return { records, exporter, options };
}

/** Records complete asynchronously after the SDK resolves: wait until `n` arrived (bounded). */
export async function waitFor(records: unknown[], n: number, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (records.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
}

/** A strict JSON Schema for structured-output tests (OpenAI `json_schema`, Anthropic `output_config.format`). */
export const CITY_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, celsius: { type: 'integer' } },
  required: ['city', 'celsius'],
  additionalProperties: false,
};
