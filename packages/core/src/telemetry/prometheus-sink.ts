import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import { nanosToUsdNumber } from '../money.js';
import type { CallRecord } from '../types.js';
import type { CallSink } from './record-call.js';
import { DURATION_BUCKETS, operationName, providerName, TOKEN_BUCKETS } from './semconv.js';

/** Metric names dashboards rely on: do not rename. */
export const PROM = {
  TOKEN_USAGE: 'gen_ai_client_token_usage',
  OPERATION_DURATION: 'gen_ai_client_operation_duration_seconds',
  TIME_TO_FIRST_CHUNK: 'gen_ai_client_operation_time_to_first_chunk_seconds',
  COST: 'switchyard_cost_usd_total',
  UNKNOWN_PRICE_CALLS: 'switchyard_unknown_price_calls_total',
} as const;

export interface PrometheusSinkOptions {
  /** The prom-client module; default: `require('prom-client')` (an optional peer dependency). */
  promClient?: typeof PromClient;
  /** Keys of `record.attributes` to add as labels, e.g. `['key', 'route']`. */
  extraLabels?: readonly string[];
  /** Distinct values kept per label (model and extra labels); later values become `__other__`. Default 200. */
  maxLabelValues?: number;
}

const OTHER = '__other__';
const MAX_LABEL_SETS = 4096;

type Labels = Readonly<Record<string, string>>;
/** A histogram's labelled child: its labels validated once, no per-call closure (about half an `observe`). */
type Series = ReturnType<PromClient.Histogram['labels']>;
interface PromLabelSets {
  labels: Labels;
  inputTokens: Series;
  outputTokens: Series;
  /** Time to first chunk: made on the first streamed call of the tuple. */
  ttfc?: Series;
  /** The cost counters' labels (provider id, model, extras). */
  money: Labels;
  /** The duration series per error type ('' on success; a handful at most). */
  durations: Map<string, Series>;
}

/** Caps the distinct values of one label so a label can never explode the series count. */
function boundedLabel(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return OTHER;
    seen.add(value);
    return value;
  };
}

function loadPromClient(): typeof PromClient {
  return createRequire(import.meta.url)('prom-client') as typeof PromClient;
}

/** Reuse a metric already in the registry (e.g. a second sink after a config reload) instead of throwing. */
function metric<T>(registry: PromClient.Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** prom-client metrics from records, with the names in `PROM` and semconv label names. */
export function createPrometheusSink(registry: PromClient.Registry, opts: PrometheusSinkOptions = {}): CallSink {
  const prom = opts.promClient ?? loadPromClient();
  const extra = [...(opts.extraLabels ?? [])];
  const max = opts.maxLabelValues ?? 200;
  const genai = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model'];
  const registers = [registry];

  const tokens = metric(
    registry,
    PROM.TOKEN_USAGE,
    () =>
      new prom.Histogram({
        name: PROM.TOKEN_USAGE,
        help: 'Number of input and output tokens used per GenAI call.',
        labelNames: [...genai, 'gen_ai_token_type', ...extra],
        buckets: [...TOKEN_BUCKETS],
        registers,
      }),
  );
  const duration = metric(
    registry,
    PROM.OPERATION_DURATION,
    () =>
      new prom.Histogram({
        name: PROM.OPERATION_DURATION,
        help: 'GenAI operation duration in seconds; error_type is empty on success.',
        labelNames: [...genai, 'error_type', ...extra],
        buckets: [...DURATION_BUCKETS],
        registers,
      }),
  );
  const ttfc = metric(
    registry,
    PROM.TIME_TO_FIRST_CHUNK,
    () =>
      new prom.Histogram({
        name: PROM.TIME_TO_FIRST_CHUNK,
        help: 'Time from request to the first streamed chunk, in seconds.',
        labelNames: [...genai, ...extra],
        buckets: [...DURATION_BUCKETS],
        registers,
      }),
  );
  const cost = metric(
    registry,
    PROM.COST,
    () =>
      new prom.Counter({
        name: PROM.COST,
        help: 'USD spent on GenAI calls (exact integer nano-USD per call, summed here as a float).',
        labelNames: ['provider', 'model', ...extra],
        registers,
      }),
  );
  const unknown = metric(
    registry,
    PROM.UNKNOWN_PRICE_CALLS,
    () =>
      new prom.Counter({
        name: PROM.UNKNOWN_PRICE_CALLS,
        help: 'GenAI calls whose model had no known price (their cost is not counted).',
        labelNames: ['provider', 'model', ...extra],
        registers,
      }),
  );

  const model = boundedLabel(max);
  const extraBounds = extra.map(() => boundedLabel(max));

  // Label objects and histogram children per (operation, provider, model, extras) tuple, built once: prom-client
  // keeps the first object of a series as its labels and only reads the later ones, so sharing them is safe and
  // saves the spreads, the label validation of the child and a closure per call.
  const labelSets = new Map<string, PromLabelSets>();
  const labelSetsOf = (r: CallRecord, m: string, extras: Record<string, string>): PromLabelSets => {
    let key = `${r.operation}\u0000${r.provider}\u0000${r.providerId ?? ''}\u0000${m}`;
    for (const k of extra) key += `\u0000${extras[k]}`;
    let sets = labelSets.get(key);
    if (!sets) {
      const labels = {
        gen_ai_operation_name: operationName(r),
        gen_ai_provider_name: providerName(r.provider, r.providerId),
        gen_ai_request_model: m,
        ...extras,
      };
      sets = {
        labels,
        inputTokens: tokens.labels({ ...labels, gen_ai_token_type: 'input' }),
        outputTokens: tokens.labels({ ...labels, gen_ai_token_type: 'output' }),
        money: { provider: r.providerId ?? r.provider, model: m, ...extras },
        durations: new Map(),
      };
      // Bounded like the label values themselves; past the bound a tuple's sets are built and not kept.
      if (labelSets.size < MAX_LABEL_SETS) labelSets.set(key, sets);
    }
    return sets;
  };

  return (r: CallRecord) => {
    const m = model(r.requestModel);
    const extras: Record<string, string> = {};
    extra.forEach((k, i) => {
      const v = r.attributes?.[k];
      extras[k] = v === undefined ? '' : (extraBounds[i] as (v: string) => string)(String(v));
    });
    const sets = labelSetsOf(r, m, extras);
    const errorType = r.error?.errorClass ?? '';
    let durationSeries = sets.durations.get(errorType);
    if (!durationSeries) {
      durationSeries = duration.labels({ ...sets.labels, error_type: errorType });
      sets.durations.set(errorType, durationSeries);
    }
    durationSeries.observe(r.durationMs / 1000);
    if (r.usage?.source === 'provider') {
      sets.inputTokens.observe(r.usage.inputTokens);
      sets.outputTokens.observe(r.usage.outputTokens);
    }
    if (r.timeToFirstTokenMs !== undefined) {
      sets.ttfc ??= ttfc.labels(sets.labels);
      sets.ttfc.observe(r.timeToFirstTokenMs / 1000);
    }
    if (r.cost) cost.inc(sets.money, nanosToUsdNumber(r.cost.totalNanos));
    if (r.unknownPrice) unknown.inc(sets.money, 1);
  };
}
