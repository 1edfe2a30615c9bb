export { classifyError } from './errors/classify-error.js';
export { buildErrorInfo, classifyHttpError, classifyStreamError, guessProvider } from './errors/classify-http-error.js';
export type { ErrorClassInfo } from './errors/error-class-info.js';
export { classFromStatus, ERROR_CLASS_INFO } from './errors/error-class-info.js';
export type { HeaderBag } from './errors/retry-after.js';
export { headerValue, parseDurationMs, retryAfterFromHeaders } from './errors/retry-after.js';
export { instrument } from './instrument/instrument.js';
export type { InstrumentFetchOptions } from './instrument/instrument-fetch.js';
export { instrumentFetch } from './instrument/instrument-fetch.js';
export type { InstrumentOptions } from './instrument/instrument-options.js';
export { nanosToUsdNumber, nanosToUsdString, usdToNanos } from './money.js';
export { catalogModelIds, hasCatalog } from './prices/catalog-models.js';
export { computeCost, ratesFor, upperBoundCost } from './prices/compute-cost.js';
export type { GenAIPricesSourceOptions } from './prices/genai-prices-source.js';
export { catalogProviderFor, createGenAIPricesSource } from './prices/genai-prices-source.js';
export type { PriceCallResult, PriceLogger } from './prices/price-call.js';
export { defaultPriceSource, maxOutputTokens, priceCall } from './prices/price-call.js';
export type { ModelPrice, PriceSource, Rates } from './prices/price-types.js';
export type { StaticPriceEntry, StaticPriceTable, UsdRates } from './prices/static-price-source.js';
export { chainPriceSources, createStaticPriceSource } from './prices/static-price-source.js';
export type { OtelMetricsSinkOptions } from './telemetry/otel-metrics-sink.js';
export { createOtelMetricsSink } from './telemetry/otel-metrics-sink.js';
export type { PrometheusSinkOptions } from './telemetry/prometheus-sink.js';
export { createPrometheusSink, PROM } from './telemetry/prometheus-sink.js';
export type { CallSink, SinkErrorHandler } from './telemetry/record-call.js';
export { priceRecord, recordCall } from './telemetry/record-call.js';
export { ATTR, DURATION_BUCKETS, METRIC, operationName, providerName, TOKEN_BUCKETS } from './telemetry/semconv.js';
export {
  type CallSpan,
  callSpan,
  createTracingSink,
  spanAttributes,
  TRACING_SCOPE,
  type TracingSinkOptions,
} from './telemetry/tracing-sink.js';
export type {
  CallRecord,
  Cost,
  ErrorClass,
  ErrorInfo,
  Nanos,
  Operation,
  ProviderKind,
  Usage,
} from './types.js';
export { anthropicUsage } from './usage/anthropic-usage.js';
export { bedrockUsage } from './usage/bedrock-usage.js';
export { geminiUsage } from './usage/gemini-usage.js';
export { openaiUsage } from './usage/openai-usage.js';
export type { AnthropicUsageObject, OpenAIUsageObject } from './usage/usage-shapes.js';
export { embeddingsUsage, estimateUsage, toAnthropicUsage, toOpenAIUsage } from './usage/usage-shapes.js';
