// Public vocabulary of the simulators: scenarios (timing, sizes, faults), options, the running handle.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

export type SimProvider = 'openai' | 'anthropic' | 'gemini' | 'azure' | 'bedrock' | 'vertex';

/** Which provider error a `status` fault imitates. Omitted: picked from the status code. */
export type ErrorCode =
  | 'rate_limit'
  | 'insufficient_quota'
  | 'context_length'
  | 'overloaded'
  | 'server_error'
  /** Azure OpenAI's prompt content filter (400 `content_filter`); the other simulators treat it by status. */
  | 'content_filter';

export type Fault =
  /** HTTP error with the provider's exact body and headers. `status` defaults from `code` (e.g. overloaded → 529 on Anthropic). */
  | { kind: 'status'; status?: number; code?: ErrorCode; retryAfterSeconds?: number; retryAfterMs?: number }
  /** Destroy the socket before any response byte. */
  | { kind: 'reset_before_headers' }
  /** Destroy the socket after K SSE events (JSON replies: after half the body). */
  | { kind: 'reset_mid_stream'; afterChunks?: number }
  /** HTTP 200, K events, then the provider's in-stream error event and end of body. */
  | { kind: 'stream_error_event'; afterChunks?: number }
  /** K events, then one event whose data is not JSON, then end of body. */
  | { kind: 'malformed_sse'; afterChunks?: number }
  /** HTTP 200 with a truncated JSON body. */
  | { kind: 'malformed_json' }
  /** Never answer (no headers); with `afterChunks`, stall a stream after K events. Released by close(). */
  | { kind: 'hang'; afterChunks?: number }
  /** Send the whole response one byte at a time. */
  | { kind: 'slow_drip'; byteDelayMs?: number }
  /** A non-JSON 502 HTML page, as from a load balancer. */
  | { kind: 'html_error'; status?: number }
  /** Apply `fault` (default: overloaded) to the first `n` requests with this scenario's `scenarioKey`, then succeed. */
  | { kind: 'fail_first_n'; n: number; fault?: FaultInput };

/** What callers may write: a Fault, or the `{ status: N }` shorthand for a status fault. */
export type FaultInput =
  | Fault
  | { status: number; code?: ErrorCode; retryAfterSeconds?: number; retryAfterMs?: number };

export interface Scenario {
  /** Start from a named preset (see SCENARIO_PRESETS); the other fields override it. */
  preset?: string;
  /** Delay before the response headers. */
  latencyMs?: number;
  /** Streams: delay between headers and the first event. JSON: added to latencyMs. */
  ttftMs?: number;
  /** Streams: delay between events. */
  chunkDelayMs?: number;
  /** Visible output length in tokens (one generated word = one token). Default 16. */
  outputTokens?: number;
  /** Number of content events the visible text is split into. Default: one per token. */
  chunks?: number;
  /** Input tokens reported as cache reads (part of the input total). */
  cachedTokens?: number;
  /** Input tokens reported as cache writes (Anthropic only; part of the input total). */
  cacheWriteTokens?: number;
  /** Reasoning / thinking tokens (part of billed output). */
  reasoningTokens?: number;
  /** Number of tool calls to make when tools are offered (calls tools in order, wrapping). Default 1. */
  parallelToolCalls?: number;
  /**
   * Gemini streams: send function-call arguments Vertex-style in pieces (`willContinue` / `partialArgs`), as when the
   * request sets `toolConfig.functionCallingConfig.streamFunctionCallArguments`.
   */
  streamFunctionCallArguments?: boolean;
  /** Counter key for `fail_first_n`. Default "default". */
  scenarioKey?: string;
  fault?: FaultInput;
}

/** A scenario after normalisation: its fault (if any) has an explicit kind. */
export type ResolvedScenario = Omit<Scenario, 'fault'> & { fault?: Fault };

export interface SimulatorOptions {
  provider: SimProvider;
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Server-wide scenario; a request's `x-sim-scenario` header is merged over it. */
  scenario?: Scenario;
  /** When set, only this key is accepted; otherwise any non-empty key is. */
  apiKey?: string;
  /** Max request-log entries kept (oldest dropped). Default 1000. */
  logLimit?: number;
}

export interface RequestLogEntry {
  seq: number;
  method: string;
  /** Path and query, with any `key=` query parameter redacted. */
  path: string;
  /** Request headers with credentials replaced by "[redacted]". */
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON, or null when empty. */
  body: unknown;
  receivedAt: number;
}

export interface SimulatorStats {
  /** Requests received (parsed) so far. */
  requests: number;
  /** Responses fully written. */
  completed: number;
  /** Responses whose connection closed before we finished writing (client abort or injected reset). */
  aborted: number;
  /** Currently open TCP connections. */
  openConnections: number;
  /** Requests currently being handled. */
  inFlight: number;
}

export interface Simulator {
  provider: SimProvider;
  url: string;
  port: number;
  /** The request log (live array, newest last). */
  readonly requests: readonly RequestLogEntry[];
  readonly stats: SimulatorStats;
  /** Replace the server-wide scenario. */
  setScenario(scenario: Scenario | undefined): void;
  /** Clear the request log, `fail_first_n` counters and stats (except open connections). */
  reset(): void;
  /** Stop listening, destroy every open or hanging connection. */
  close(): Promise<void>;
}

/** A complete JSON (or other) body answer. */
export interface JsonReply {
  kind: 'json';
  status: number;
  headers: OutgoingHttpHeaders;
  body: string;
}

/** A 200 streamed answer: `events` are fully framed (`data: …\n\n`, or binary AWS event-stream frames). */
export interface SseReply {
  kind: 'sse';
  headers: OutgoingHttpHeaders;
  events: Array<string | Uint8Array>;
}

export type Reply = JsonReply | SseReply;
