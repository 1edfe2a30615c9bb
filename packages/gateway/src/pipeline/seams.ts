// The seams of the request path. The pipeline (parse → auth/admission → plan → attempt loop → respond → settle)
// is framework-neutral and takes these collaborators by injection, so routing, accounts and telemetry are small
// separate modules with defaults as data, and each can be tested without HTTP.
import type { CallRecord, Cost, ErrorInfo, Usage } from '@switchyard/core';
import type { UpstreamTarget } from '../providers/provider-adapter.js';
import type { Cancellation } from './cancellation.js';

export type Endpoint = 'chat' | 'messages' | 'embeddings' | 'responses';

/** A parsed, validated client request, in the gateway's terms. */
export interface GatewayRequest {
  /** Echoed as `x-request-id`: the client's own id when it sent a valid one, else `callId`. A label only. */
  requestId: string;
  /** The gateway's own id of this call, unique: keys the reservation and the ledger row (never client-chosen). */
  callId: string;
  endpoint: Endpoint;
  /** Model as named by the client: an alias from `routes` or `<providerId>/<model>`. */
  model: string;
  stream: boolean;
  /** Upper bound of input tokens, from the decoded body (accounts/input-bound.ts; admission and `cheapest`). */
  estimatedInputTokens: number;
  /** Completions asked for in one call (`n`); scales the output part of the reservation. Default 1. */
  outputMultiplier?: number;
  /** Most server-side web searches the call can bill (accounts/input-bound.ts `webSearchBound`). Default 0. */
  webSearches?: number;
  /** `max_completion_tokens ?? max_tokens` (or Anthropic `max_tokens`) when the client gave one. */
  maxOutputTokens?: number;
  /** The end user the call is for (`user` in the body, or `x-switchyard-end-user`): recorded on the ledger row. */
  endUser?: string;
  /** Cost allocation tags from `x-switchyard-tags` (validated): recorded on the ledger row. */
  tags?: string[];
  /** The client's credential (a virtual key) if any. Never logged, never forwarded upstream. */
  clientKey?: string;
  /** Aborted when the client disconnects. On requests the gateway builds, created on first read from `cancel`. */
  signal: AbortSignal;
  /** The same as `signal` without an AbortSignal (cheaper; see pipeline/cancellation.ts), when the gateway built it. */
  cancel?: Cancellation;
  /** epoch ms */
  receivedAt: number;
}

/** One candidate upstream of a route, with its own overrides. */
export interface RouteTarget extends UpstreamTarget {
  /** `<providerId>/<model>`: stable id for breakers, EWMA and metrics. */
  id: string;
  weight?: number;
  /** Request parameter overrides applied to this target only (e.g. `{ temperature: 0 }`). */
  params?: Record<string, unknown>;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RoutePlan {
  /** Alias name or `<providerId>/<model>`. */
  name: string;
  strategy: 'single' | 'fallback' | 'weighted' | 'least-latency' | 'cheapest';
  targets: RouteTarget[];
  retry: RetryPolicy;
  /** Extra ErrorClasses (beyond `fallbackEligible`) that move on to the next target, e.g. `context_length`. */
  fallbackOn: string[];
  hedge?: { afterMs?: number; afterPercentile?: number };
  timeouts: { connectMs: number; firstByteMs: number; totalMs: number };
}

/** Thrown by an attempt. `committed`: bytes already reached the client, so no retry or fallback is allowed. */
export class AttemptError extends Error {
  constructor(
    readonly info: ErrorInfo,
    readonly committed = false,
  ) {
    super(info.message);
    this.name = 'AttemptError';
  }
}

export interface AttemptContext {
  /** Aborted on client disconnect, deadline, or when a hedge sibling won. */
  signal: AbortSignal;
  /** The same as `signal` without an AbortSignal, when the executor provides it (the built-in one does). */
  cancel?: Cancellation;
  /** 1-based count of attempts made for this request so far, this one included. */
  attemptNumber: number;
  kind: 'primary' | 'retry' | 'fallback' | 'hedge';
  /** epoch ms after which the attempt must give up. */
  deadline: number;
  /** Call once the attempt produced its first byte (used by hedging to decide whether to start a sibling). */
  firstByte(): void;
}

/**
 * One upstream try against one target. Resolves once the result is known to be good enough to commit to the
 * client: a full JSON body, or — for streams — upstream headers plus the first event (so an in-stream error
 * before the first byte can still fall back). Rejects with AttemptError.
 */
export type Attempt<T> = (target: RouteTarget, ctx: AttemptContext) => Promise<T>;

export interface AttemptLog {
  targetId: string;
  kind: AttemptContext['kind'] | 'skipped';
  outcome: 'ok' | 'error' | 'skipped' | 'cancelled';
  error?: ErrorInfo;
  durationMs: number;
}

export interface RouteResult<T> {
  value: T;
  target: RouteTarget;
  attempts: AttemptLog[];
  /** ms spent sleeping between attempts (retry backoff, Retry-After): neither upstream time nor overhead. */
  waitMs?: number;
}

/** Thrown by a RouteExecutor when every candidate failed. `info` is the error the client should see. */
export class RouteError extends Error {
  constructor(
    readonly info: ErrorInfo,
    readonly attempts: AttemptLog[],
    /** ms spent sleeping between attempts, as in RouteResult. */
    readonly waitMs?: number,
  ) {
    super(info.message);
    this.name = 'RouteError';
  }
}

/** Runs attempts over a plan's targets: ordering, retries, fallback, hedging, breakers, deadlines. */
export interface RouteExecutor {
  execute<T>(plan: RoutePlan, attempt: Attempt<T>, req: GatewayRequest): Promise<RouteResult<T>>;
  /** Late outcome of a committed attempt (a stream that later ended or broke): feeds breakers and latency EWMA. */
  report(targetId: string, outcome: { ok: boolean; latencyMs: number; error?: ErrorInfo }): void;
}

/** A failure the gateway itself produces (auth, limits, credits, validation): status + OpenAI error fields. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/** What the pipeline knows at the end of a call, for settle and telemetry. */
export interface CallOutcome {
  ok: boolean;
  providerId?: string;
  model?: string;
  usage?: Usage;
  cost?: Cost;
  unknownPrice?: boolean;
  error?: ErrorInfo;
  records: CallRecord[];
  /**
   * Upstream attempts made for this call, failed ones included (retries, fallbacks, hedges; breaker and rate-limit
   * skips made no call and are not counted); 0 for a cache hit. Absent: not known (recorded as NULL).
   */
  attempts?: number;
  /** The answer came from the response cache: no upstream call; the ledger row records the spend it avoided. */
  cacheHit?: { chargedNanos: bigint; savedNanos: bigint };
}

/** Issued by admission for one request; exactly one of settle/release is called, once. Never throws. */
export interface AdmissionTicket {
  keyId?: string;
  /** e.g. `x-ratelimit-*` headers to add to the response. */
  headers: Record<string, string>;
  settle(outcome: CallOutcome): void;
  release(): void;
}

/** Who is calling, as far as the response cache's namespace is concerned (nothing when there are no keys). */
export interface Tenant {
  keyId?: string;
  teamId?: string;
}

export interface AdmitOptions {
  /**
   * Called once the caller passed auth and the allowed-models check, before anything is reserved (the response
   * cache looks its entry up here). A value replaces the reservation: exactly `reserveNanos`, no tokens — a
   * cache hit reserves what it will be charged (usually nothing) but still counts against rate limits.
   */
  beforeReserve?(tenant: Tenant): Promise<{ reserveNanos: bigint } | undefined>;
}

/** Auth + limits + credit/budget reservation. Throws GatewayError (401/402/403/429) to refuse. */
export interface Admission {
  admit(req: GatewayRequest, plan: RoutePlan, opts?: AdmitOptions): Promise<AdmissionTicket>;
  /**
   * The key check alone (401 when the key is missing, unknown, revoked, …), for requests refused before they have
   * a plan: a bad key is told so before anything about its body or model. Optional: open admission has no keys.
   */
  authenticate?(clientKey: string | undefined): Promise<void>;
}

/** `route` of a request refused before it had a plan (invalid body, unknown model, 413 / 415): no route at all. */
export const NO_ROUTE = '';

/** Telemetry hooks of the request path (metrics, traces). Implementations must never throw. */
export interface GatewayObserver {
  /** `headers`: the request's headers object, by identity (tracing finds the request's SERVER span by it). */
  requestStarted(req: GatewayRequest, headers?: object): void;
  attemptFinished(record: CallRecord, info: { route: string; kind: AttemptLog['kind'] }): void;
  requestFinished(
    req: GatewayRequest,
    summary: {
      /** Plan name, or NO_ROUTE for a request refused before plan resolution (no upstream work was done). */
      route: string;
      status: number;
      errorClass?: string;
      durationMs: number;
      /** Time spent waiting on upstream; overhead = durationMs - upstreamMs - waitMs. */
      upstreamMs: number;
      /** Time spent sleeping between attempts (retry backoff, Retry-After), when the executor reports it. */
      waitMs?: number;
      attempts: AttemptLog[];
      keyId?: string;
      /** Set when the response cache took part: `hit` (no upstream call), `miss` or `bypass`. */
      cache?: 'hit' | 'miss' | 'bypass';
      /** On a hit: the upstream spend it avoided, nano-USD. */
      savedNanos?: bigint;
      /** Translation warnings of the attempt that answered (dropped or clamped parameters). */
      warnings?: readonly string[];
    },
  ): void;
}
