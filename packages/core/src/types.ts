// The shared vocabulary of Switchyard: every producer (instrumented SDK client, gateway attempt) builds a
// CallRecord; every sink (OTel spans, OTel metrics, Prometheus, the gateway ledger) consumes one.

export type ProviderKind =
  | 'openai'
  | 'anthropic'
  | 'gemini'
  | 'openai-compatible'
  | 'azure-openai'
  | 'bedrock'
  | 'vertex';

export type Operation = 'chat' | 'embeddings' | 'responses' | 'generate_content';

/**
 * Normalized token usage. `inputTokens` counts ALL billed input tokens including cache reads and writes;
 * `cacheReadTokens` and `cacheWriteTokens` are parts of it. `outputTokens` counts ALL billed output tokens
 * including reasoning; `reasoningTokens` is part of it.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** Part of `cacheWriteTokens` written to the 1-hour cache (Anthropic `ephemeral_1h_input_tokens`). */
  cacheWrite1hTokens?: number;
  /** Part of `inputTokens` that was audio; `cacheAudioReadTokens` is the part of it (and of cache reads) cached. */
  inputAudioTokens?: number;
  cacheAudioReadTokens?: number;
  /** Part of `inputTokens` that was images; `cacheImageReadTokens` is the part of it (and of cache reads) cached. */
  inputImageTokens?: number;
  cacheImageReadTokens?: number;
  /** Parts of `outputTokens` that were audio / images. */
  outputAudioTokens?: number;
  outputImageTokens?: number;
  /** Server-side web searches the provider ran and bills per search (Anthropic `server_tool_use`). */
  webSearchRequests?: number;
  /** `provider` when the provider reported it, `estimated` when we had to guess (e.g. a stream without usage). */
  source: 'provider' | 'estimated';
}

/**
 * Money is integer nano-USD (1e-9 USD) held in a bigint: sums of millions of calls never drift.
 * `usdToNanos` / `nanosToUsdString` in money.ts convert at the edges.
 */
export type Nanos = bigint;

export interface Cost {
  inputNanos: Nanos;
  outputNanos: Nanos;
  /** Per-call fees that are neither input nor output tokens (server-side web searches, per-request fees). */
  feeNanos?: Nanos;
  /** inputNanos + outputNanos + feeNanos. */
  totalNanos: Nanos;
  /** Where the price came from, e.g. `genai-prices@0.1.8` or `override:config`. */
  priceSource: string;
}

/** A closed, low-cardinality taxonomy shared by every provider. It becomes `error.type` on spans and a label. */
export type ErrorClass =
  | 'rate_limited'
  | 'quota_exhausted'
  | 'overloaded'
  | 'auth'
  | 'permission'
  | 'not_found'
  | 'bad_request'
  | 'context_length'
  | 'content_filter'
  | 'request_too_large'
  | 'timeout'
  | 'connection'
  | 'upstream_5xx'
  | 'stream_interrupted'
  | 'invalid_response'
  | 'cancelled'
  | 'unknown';

export interface ErrorInfo {
  errorClass: ErrorClass;
  retryable: boolean;
  fallbackEligible: boolean;
  /** HTTP status from the provider, when there was one. */
  status?: number;
  /** Provider's own error type/code string (e.g. `overloaded_error`, `RESOURCE_EXHAUSTED`). */
  providerCode?: string;
  message: string;
  /** Parsed from `retry-after-ms` / `retry-after` / Gemini RetryInfo, in ms. */
  retryAfterMs?: number;
}

export interface CallRecord {
  provider: ProviderKind;
  /** Configured provider id in the gateway (e.g. `groq`); equals `provider` for SDK instrumentation. */
  providerId?: string;
  operation: Operation;
  requestModel: string;
  responseModel?: string;
  /** epoch ms */
  startTime: number;
  durationMs: number;
  /** Streams only: ms from start to the first content byte/chunk. */
  timeToFirstTokenMs?: number;
  streaming: boolean;
  usage?: Usage;
  cost?: Cost;
  /** True when no price was known for the model: the cost is absent, never a silent $0. */
  unknownPrice?: boolean;
  outcome: 'ok' | 'error';
  error?: ErrorInfo;
  finishReasons?: string[];
  responseId?: string;
  requestId?: string;
  serverAddress?: string;
  serverPort?: number;
  /** Attribution, e.g. virtual key id, user, tags, route. Low-cardinality values only in metrics. */
  attributes?: Record<string, string | number | boolean>;
  /**
   * Prompt and completion content as semconv JSON strings (`gen_ai.input.messages` / `gen_ai.output.messages`).
   * Only present when the producer was told to capture content (off by default); only spans carry it.
   */
  content?: { inputMessages?: string; outputMessages?: string };
}
