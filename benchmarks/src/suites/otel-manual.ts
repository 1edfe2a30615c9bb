// `otel-manual`: the yardstick for instrument() — the same chat call wrapped by the least a careful user would write
// by hand with the OTel API: one CLIENT span with the attributes instrument() sets for this call, and the same metric
// points (duration, input and output tokens, time to first chunk for streams, cost), priced from the same catalog.
// No error classification, no other SDK methods, no stream-shape handling beyond OpenAI chat chunks.
import { type Attributes, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Core } from '../contenders/switchyard-runtime.js';
import type { otelProviders } from './interceptor-clients.js';
import { CHAT_BODY, CHAT_MODEL } from './suite.js';

type Mode = 'json' | 'stream';

/** `core`: the same build of `@switchyard/core` instrument() runs from (its catalog, usage reader and constants). */
export function manualInstrumentation(core: Core, otel: ReturnType<typeof otelProviders>, baseURL: string) {
  const {
    ATTR,
    computeCost,
    DURATION_BUCKETS,
    defaultPriceSource,
    METRIC,
    nanosToUsdNumber,
    openaiUsage,
    TOKEN_BUCKETS,
  } = core;
  const tracer = otel.tracerProvider.getTracer('otel-manual');
  const meter = otel.meterProvider.getMeter('otel-manual');
  const durations = { explicitBucketBoundaries: [...DURATION_BUCKETS] };
  const duration = meter.createHistogram(METRIC.OPERATION_DURATION, { unit: 's', advice: durations });
  const tokens = meter.createHistogram(METRIC.TOKEN_USAGE, {
    unit: '{token}',
    advice: { explicitBucketBoundaries: [...TOKEN_BUCKETS] },
  });
  const ttfc = meter.createHistogram(METRIC.TIME_TO_FIRST_CHUNK, { unit: 's', advice: durations });
  const cost = meter.createCounter(METRIC.COST, { unit: 'USD' });
  const url = new URL(baseURL);
  const price = defaultPriceSource().lookup('openai', CHAT_MODEL);
  const base: Attributes = {
    [ATTR.OPERATION_NAME]: 'chat',
    [ATTR.PROVIDER_NAME]: 'openai',
    [ATTR.REQUEST_MODEL]: CHAT_MODEL,
    [ATTR.SERVER_ADDRESS]: url.hostname,
    [ATTR.SERVER_PORT]: Number(url.port),
  };

  function finish(
    span: ReturnType<typeof tracer.startSpan>,
    start: number,
    res: { id?: string; model?: string; usage?: unknown; finish?: string[] },
    firstChunkS?: number,
  ) {
    const seconds = (performance.now() - start) / 1000;
    const attrs: Attributes = { ...base };
    if (res.model) attrs[ATTR.RESPONSE_MODEL] = res.model;
    const points: Attributes = { ...attrs };
    if (res.id) attrs[ATTR.RESPONSE_ID] = res.id;
    if (res.finish?.length) attrs[ATTR.RESPONSE_FINISH_REASONS] = res.finish;
    if (firstChunkS !== undefined) {
      attrs[ATTR.REQUEST_STREAM] = true;
      attrs[ATTR.RESPONSE_TIME_TO_FIRST_CHUNK] = firstChunkS;
      ttfc.record(firstChunkS, points);
    }
    const usage = openaiUsage(res.usage as Parameters<typeof openaiUsage>[0]);
    if (usage) {
      attrs[ATTR.USAGE_INPUT_TOKENS] = usage.inputTokens;
      attrs[ATTR.USAGE_OUTPUT_TOKENS] = usage.outputTokens;
      attrs[ATTR.USAGE_CACHE_READ_INPUT_TOKENS] = usage.cacheReadTokens;
      attrs[ATTR.USAGE_CACHE_CREATION_INPUT_TOKENS] = usage.cacheWriteTokens;
      attrs[ATTR.USAGE_REASONING_OUTPUT_TOKENS] = usage.reasoningTokens;
      attrs[ATTR.USAGE_SOURCE] = usage.source;
      tokens.record(usage.inputTokens, { ...points, [ATTR.TOKEN_TYPE]: 'input' });
      tokens.record(usage.outputTokens, { ...points, [ATTR.TOKEN_TYPE]: 'output' });
      if (price) {
        const c = computeCost(usage, price);
        const usd = nanosToUsdNumber(c.totalNanos);
        attrs[ATTR.USAGE_COST] = usd;
        attrs[ATTR.COST_NANOS] = c.totalNanos.toString();
        attrs[ATTR.PRICE_SOURCE] = c.priceSource;
        cost.add(usd, points);
      }
    }
    duration.record(seconds, points);
    span.setAttributes(attrs);
    span.end();
  }

  return async function call(client: OpenAI, mode: Mode): Promise<void> {
    const body = { model: CHAT_MODEL, ...CHAT_BODY, messages: [...CHAT_BODY.messages] };
    const span = tracer.startSpan(`chat ${CHAT_MODEL}`, { kind: SpanKind.CLIENT, attributes: base });
    const start = performance.now();
    try {
      if (mode === 'json') {
        const c: ChatCompletion = await client.chat.completions.create(body);
        const finishReasons = c.choices.map((x) => x.finish_reason).filter(Boolean);
        finish(span, start, { id: c.id, model: c.model, usage: c.usage, finish: finishReasons });
        return;
      }
      const stream = await client.chat.completions.create({
        ...body,
        stream: true,
        stream_options: { include_usage: true },
      });
      let first: number | undefined;
      let last: ChatCompletionChunk | undefined;
      const finishReasons: string[] = [];
      for await (const chunk of stream) {
        first ??= (performance.now() - start) / 1000;
        for (const ch of chunk.choices) if (ch.finish_reason) finishReasons.push(ch.finish_reason);
        last = chunk;
      }
      finish(span, start, { id: last?.id, model: last?.model, usage: last?.usage, finish: finishReasons }, first);
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      span.end();
      throw e;
    }
  };
}
