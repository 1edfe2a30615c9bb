// INTERIM: stands in for core's `createPrometheusSink` / `createTracingSink` until they land in @switchyard/core,
// with exactly the agreed names and labels. `record-sinks.ts` is the only importer; delete this file then.

import { SpanKind, SpanStatusCode, type TracerProvider } from '@opentelemetry/api';
import type { CallRecord } from '@switchyard/core';
import { Counter, Histogram, type Registry } from 'prom-client';

const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

export function interimPrometheusSink(registry: Registry, opts: { extraLabels: string[] }) {
  const registers = [registry];
  const genai = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model'] as const;
  const tokens = new Histogram({
    name: 'gen_ai_client_token_usage',
    help: 'GenAI token usage per call (gen_ai.client.token.usage).',
    labelNames: [...genai, 'gen_ai_token_type'],
    buckets: TOKEN_BUCKETS,
    registers,
  });
  const duration = new Histogram({
    name: 'gen_ai_client_operation_duration_seconds',
    help: 'GenAI operation duration (gen_ai.client.operation.duration).',
    labelNames: [...genai, 'error_type'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const ttfc = new Histogram({
    name: 'gen_ai_client_operation_time_to_first_chunk_seconds',
    help: 'Streams: time to the first chunk (gen_ai.client.operation.time_to_first_chunk).',
    labelNames: [...genai],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const cost = new Counter({
    name: 'switchyard_cost_usd_total',
    help: 'Cost of calls in USD.',
    labelNames: ['provider', 'model', ...opts.extraLabels],
    registers,
  });
  const unknown = new Counter({
    name: 'switchyard_unknown_price_calls_total',
    help: 'Calls whose model had no known price.',
    labelNames: ['provider', 'model'],
    registers,
  });
  return (r: CallRecord) => {
    const base = {
      gen_ai_operation_name: r.operation,
      gen_ai_provider_name: r.provider,
      gen_ai_request_model: r.requestModel,
    };
    duration.observe({ ...base, error_type: r.error?.errorClass ?? '' }, r.durationMs / 1000);
    if (r.timeToFirstTokenMs !== undefined) ttfc.observe(base, r.timeToFirstTokenMs / 1000);
    if (r.usage) {
      tokens.observe({ ...base, gen_ai_token_type: 'input' }, r.usage.inputTokens);
      tokens.observe({ ...base, gen_ai_token_type: 'output' }, r.usage.outputTokens);
    }
    const labels: Record<string, string> = { provider: r.provider, model: r.requestModel };
    for (const l of opts.extraLabels) labels[l] = String(r.attributes?.[l] ?? '');
    if (r.cost) cost.inc(labels, Number(r.cost.totalNanos) / 1e9);
    if (r.unknownPrice) unknown.inc({ provider: r.provider, model: r.requestModel });
  };
}

export function interimTracingSink(tracerProvider: TracerProvider) {
  const tracer = tracerProvider.getTracer('@switchyard/core');
  return (r: CallRecord) => {
    const span = tracer.startSpan(`${r.operation} ${r.requestModel}`, {
      kind: SpanKind.CLIENT,
      startTime: r.startTime,
      attributes: {
        'gen_ai.operation.name': r.operation,
        'gen_ai.provider.name': r.provider,
        'gen_ai.request.model': r.requestModel,
        ...(r.responseModel ? { 'gen_ai.response.model': r.responseModel } : {}),
        ...(r.usage
          ? { 'gen_ai.usage.input_tokens': r.usage.inputTokens, 'gen_ai.usage.output_tokens': r.usage.outputTokens }
          : {}),
        ...(r.error ? { 'error.type': r.error.errorClass } : {}),
      },
    });
    if (r.error) span.setStatus({ code: SpanStatusCode.ERROR, message: r.error.message });
    span.end(r.startTime + r.durationMs);
  };
}
