// The endpoint-independent part of every proxied call: plan → GatewayRequest → admission → executor → respond,
// with exactly one settle/release per ticket and one requestFinished per request, whatever happens.
import type { CallRecord, ErrorInfo, Usage } from '@switchyard/core';
import { nanosToUsdString } from '@switchyard/core';
import { hitResponse } from '../cache/hit-response.js';
import type { CacheRecorder } from '../cache/response-cache.js';
import { endUserOf, tagsOf } from './attribution.js';
import {
  type CallMeta,
  MAX_USAGE_TOKENS,
  priceUsage,
  toCallRecord,
  WARNINGS_HEADER,
  warningsHeader,
} from './call-meta.js';
import { type Cancellation, cancellationOf } from './cancellation.js';
import { type ApiFormat, toClientError } from './client-errors.js';
import { cutShortUsage } from './delivered.js';
import type { PipelineDeps, PipelineInput, PipelineResponse } from './pipeline-types.js';
import {
  type Admission,
  type AdmissionTicket,
  type Attempt,
  type AttemptLog,
  type Endpoint,
  GatewayError,
  type GatewayRequest,
  NO_ROUTE,
  RouteError,
  type RoutePlan,
  type RouteResult,
} from './seams.js';

export interface FlowSpec<V> {
  endpoint: Endpoint;
  api: ApiFormat;
  model: string;
  stream: boolean;
  maxOutputTokens?: number;
  /** The validated request body: given, the response cache (when configured) keys on it. */
  cacheBody?: object;
  /** A cache hit is about to be replayed (stored answer in this endpoint's format): endpoint side effects. */
  onCacheHit?(body: unknown, providerId: string): void;
  /** Upper bound of the billed input tokens, from the decoded body (accounts/input-bound.ts). */
  inputTokens: number;
  outputMultiplier?: number;
  webSearches?: number;
  attempt(req: GatewayRequest, plan: RoutePlan, onFailed: (meta: CallMeta) => void): Attempt<V>;
  respond(result: RouteResult<V>, call: CallScope): PipelineResponse;
}

/** Handed to `respond`: finishes the request once the response (JSON, or the whole stream) is done. */
export interface CallScope {
  req: GatewayRequest;
  plan: RoutePlan;
  /** Headers for every proxied response: provider, model, attempts, cost (when known), request id. */
  headers(meta: CallMeta, attempts: AttemptLog[]): Record<string, string>;
  finish(status: number, meta: CallMeta, attempts: AttemptLog[], error?: ErrorInfo): void;
  /**
   * `finish(200, …)` once the response is written: returns the function the writer calls then (see
   * PipelineResponse `sent`), which also runs by itself on the next macrotask. So settlement, the ledger row and the
   * metrics do not delay the client's bytes, and nothing can observe the gap: a request sent after the client has
   * its answer runs after it, and until then the open reservation only makes admission stricter.
   */
  finishAfterResponse(meta: CallMeta, attempts: AttemptLog[]): () => void;
  /** On a cacheable miss: sees exactly what the client receives; stored once the request finished without error. */
  recorder?: CacheRecorder;
}

/** The JSON response for a completed attempt: the request finishes now. `text`: `json` as JSON text, if known. */
export function respondJson(
  call: CallScope,
  meta: CallMeta,
  attempts: AttemptLog[],
  json: unknown,
  text?: string,
): PipelineResponse {
  const headers = call.headers(meta, attempts);
  call.recorder?.json(json);
  const sent = call.finishAfterResponse(meta, attempts);
  return text === undefined ? { status: 200, headers, json, sent } : { status: 200, headers, json, text, sent };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BEARER = /^bearer\s+/i;

export function clientKeyOf(headers: PipelineInput['headers']): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const bearer = BEARER.exec(auth);
    if (bearer) return auth.slice(bearer[0].length).trim() || undefined;
  }
  const key = headers['x-api-key'];
  return typeof key === 'string' && key ? key : undefined;
}

export function requestIdOf(headers: PipelineInput['headers'], newId: () => string): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
}

const NEVER_ABORTED = new AbortController().signal;

/**
 * A request refused before it had a route plan (unreadable or invalid body, unknown model, 413 / 415), answered in
 * the API's format and reported to the observer exactly once with route `NO_ROUTE`, so the request counter sees
 * every response of the API endpoints. Everything after plan resolution is reported by `runFlow`.
 */
export async function rejectEarly(
  input: Pick<PipelineInput, 'headers'>,
  deps: Pick<PipelineDeps, 'observer' | 'now' | 'newId'> & { admission?: Admission },
  endpoint: Endpoint,
  api: ApiFormat,
  err: unknown,
  model = '',
): Promise<PipelineResponse> {
  // Authentication comes first: a bad key is a 401 whatever its body, model or size (and learns nothing else).
  const e = toClientError((await authFailure(input.headers, deps.admission)) ?? err, api);
  const requestId = requestIdOf(input.headers, deps.newId);
  const req: GatewayRequest = {
    requestId,
    callId: requestId,
    endpoint,
    model,
    stream: false,
    estimatedInputTokens: 0,
    signal: NEVER_ABORTED,
    receivedAt: deps.now(),
  };
  deps.observer.requestStarted(req, input.headers);
  deps.observer.requestFinished(req, { route: NO_ROUTE, status: e.status, durationMs: 0, upstreamMs: 0, attempts: [] });
  return { status: e.status, headers: { ...e.headers, 'x-request-id': requestId }, json: e.body };
}

/** What `authenticate` threw for the request's key, or undefined (a valid key, or an open gateway). */
async function keyError(
  headers: PipelineInput['headers'],
  admission: Pick<Admission, 'authenticate'> | undefined,
): Promise<unknown> {
  if (!admission?.authenticate) return undefined;
  try {
    await admission.authenticate(clientKeyOf(headers));
    return undefined;
  } catch (err) {
    return err ?? new Error('authentication failed');
  }
}

/**
 * The answer for a caller whose key does not pass (a 401, or the store's own error), or undefined: for the
 * endpoints that only check the key (models, count_tokens). Called before the body is looked at.
 */
export async function keyRefusal(
  headers: PipelineInput['headers'],
  admission: Pick<Admission, 'authenticate'>,
  api: ApiFormat,
): Promise<PipelineResponse | undefined> {
  const err = await keyError(headers, admission);
  if (err === undefined) return undefined;
  const e = toClientError(err, api);
  return { status: e.status, headers: e.headers, json: e.body };
}

/** The 401 an unauthenticated caller gets, or undefined (authenticated, open gateway, or store trouble). */
async function authFailure(headers: PipelineInput['headers'], admission: Admission | undefined) {
  const err = await keyError(headers, admission);
  return err instanceof GatewayError && err.status === 401 ? err : undefined;
}

/**
 * A committed stream that did not complete is charged for what was delivered (docs/accounts.md "Streams cut
 * short"): the provider's final usage if it came, else a flagged estimate, never less than the input bound and the
 * delivered text. Without this a client abort (or an endless upstream) would release the reservation: a free call.
 */
function chargeDelivered(meta: CallMeta, req: GatewayRequest, deps: PipelineDeps): void {
  const usage = cutShortUsage(
    meta.usage,
    meta.usageFinal === true,
    req.estimatedInputTokens,
    meta.deliveredTextBytes ?? 0,
    meta.outputCapTokens,
  );
  if (usage === meta.usage) return;
  try {
    priceUsage(meta, usage, deps.priceSource);
  } catch {
    // beyond the usage bound (an endless stream of > 10M tokens): charge the bound itself, never nothing
    priceUsage(meta, capUsage(usage), deps.priceSource);
  }
}

function capUsage(u: Usage): Usage {
  const cap = (n: number) => Math.min(n, MAX_USAGE_TOKENS);
  return {
    ...u,
    inputTokens: cap(u.inputTokens),
    outputTokens: cap(u.outputTokens),
    cacheReadTokens: cap(u.cacheReadTokens),
    cacheWriteTokens: cap(u.cacheWriteTokens),
    reasoningTokens: cap(u.reasoningTokens),
  };
}

/**
 * The GatewayRequest `runFlow` builds. A class, so `signal` is a prototype getter: created on first read, since the
 * built-in executor and upstream client use `cancel` (docs/decisions/0011). Absent options stay absent.
 */
class FlowRequest implements GatewayRequest {
  readonly endpoint: Endpoint;
  readonly model: string;
  readonly stream: boolean;
  readonly estimatedInputTokens: number;
  declare outputMultiplier?: number;
  declare webSearches?: number;
  declare maxOutputTokens?: number;
  declare endUser?: string;
  declare tags?: string[];
  declare clientKey?: string;
  constructor(
    readonly requestId: string,
    readonly callId: string,
    spec: FlowSpec<unknown>,
    readonly cancel: Cancellation,
    readonly receivedAt: number,
  ) {
    this.endpoint = spec.endpoint;
    this.model = spec.model;
    this.stream = spec.stream;
    this.estimatedInputTokens = spec.inputTokens;
    if (spec.outputMultiplier !== undefined && spec.outputMultiplier > 1) this.outputMultiplier = spec.outputMultiplier;
    if (spec.webSearches !== undefined && spec.webSearches > 0) this.webSearches = spec.webSearches;
    if (spec.maxOutputTokens !== undefined) this.maxOutputTokens = spec.maxOutputTokens;
  }
  get signal(): AbortSignal {
    return this.cancel.signal;
  }
}

/** Upstream calls the route made (a hedge loser cancelled mid-flight counts; a breaker / rate-limit skip does not). */
export function upstreamAttempts(log: readonly AttemptLog[]): number {
  return log.reduce((n, a) => (a.kind === 'skipped' ? n : n + 1), 0);
}

export async function runFlow<V>(input: PipelineInput, deps: PipelineDeps, spec: FlowSpec<V>) {
  // The gateway's own id keys money; the client's x-request-id (if any) is only echoed and stored as a reference.
  const callId = deps.newId();
  const requestId = requestIdOf(input.headers, () => callId);
  const idHeader = { 'x-request-id': requestId };
  const fail = (err: unknown): PipelineResponse => {
    const e = toClientError(err, spec.api);
    if (e.status === 500 && !(err instanceof RouteError)) deps.log.error({ err, requestId }, 'request failed');
    return { status: e.status, headers: { ...e.headers, ...idHeader }, json: e.body };
  };

  let plan: RoutePlan;
  try {
    plan = deps.resolvePlan(spec.model);
  } catch (err) {
    if (!(err instanceof GatewayError)) deps.log.error({ err, requestId }, 'plan resolution failed');
    return rejectEarly(input, deps, spec.endpoint, spec.api, err, spec.model);
  }
  let endUser: string | undefined;
  let tags: string[] | undefined;
  try {
    endUser = endUserOf(input.headers, input.body);
    tags = tagsOf(input.headers);
  } catch (err) {
    return rejectEarly(input, deps, spec.endpoint, spec.api, err, spec.model);
  }
  const req = new FlowRequest(requestId, callId, spec, cancellationOf(input), deps.now());
  const clientKey = clientKeyOf(input.headers);
  if (clientKey !== undefined) req.clientKey = clientKey;
  if (endUser !== undefined) req.endUser = endUser;
  if (tags !== undefined) req.tags = tags;
  deps.observer.requestStarted(req, input.headers);
  const summary = (
    status: number,
    attempts: AttemptLog[],
    upstreamMs: number,
    ticket?: AdmissionTicket,
    e?: ErrorInfo,
    waitMs?: number,
    cacheInfo?: { cache: 'hit' | 'miss' | 'bypass'; savedNanos?: bigint },
    warnings?: readonly string[],
  ) =>
    deps.observer.requestFinished(req, {
      route: plan.name,
      status,
      durationMs: deps.now() - req.receivedAt,
      upstreamMs,
      ...(waitMs !== undefined && { waitMs }),
      attempts,
      ...(e && { errorClass: e.errorClass }),
      ...(ticket?.keyId !== undefined && { keyId: ticket.keyId }),
      ...cacheInfo,
      ...(warnings && warnings.length > 0 && { warnings }),
    });

  // The response cache: consulted once admission knows the tenant (its namespace) and before it reserves.
  const cache = spec.cacheBody && deps.cache?.begin(spec.endpoint, plan, spec.cacheBody, input.headers);
  let ticket: AdmissionTicket;
  try {
    ticket = await deps.admission.admit(
      req,
      plan,
      cache
        ? {
            beforeReserve: async (tenant) => {
              const hit = await cache.identify(tenant);
              return hit && { reserveNanos: hit.chargeNanos };
            },
          }
        : undefined,
    );
  } catch (err) {
    const res = fail(err);
    summary(res.status, [], 0);
    return res;
  }
  const cacheInfo = cache ? { cache: cache.result } : undefined;
  const hit = cache?.hit;
  if (cache && hit) {
    ticket.settle({
      ok: true,
      providerId: hit.entry.providerId,
      model: hit.entry.model,
      records: [],
      attempts: 0,
      cacheHit: { chargedNanos: hit.chargeNanos, savedNanos: hit.savedNanos },
    });
    summary(200, [], 0, ticket, undefined, undefined, { cache: 'hit', savedNanos: hit.savedNanos });
    try {
      spec.onCacheHit?.(hit.entry.body, hit.entry.providerId);
    } catch (err) {
      deps.log.warn({ err, requestId }, 'cache hit side effect failed');
    }
    return hitResponse(cache, req.stream, { ...ticket.headers, ...idHeader });
  }

  const attributes = { route: plan.name, ...(ticket.keyId !== undefined && { keyId: ticket.keyId }) };
  const failedRecords: CallRecord[] = [];
  const onFailed = (meta: CallMeta) => {
    const record = toCallRecord(meta, requestId, attributes);
    failedRecords.push(record);
    deps.observer.attemptFinished(record, { route: plan.name, kind: meta.attemptKind });
  };

  let result: RouteResult<V>;
  try {
    result = await deps.executor.execute(plan, spec.attempt(req, plan, onFailed), req);
  } catch (err) {
    ticket.release();
    const res = fail(err);
    const routeErr = err instanceof RouteError ? err : undefined;
    const attempts = routeErr?.attempts ?? [];
    summary(
      res.status,
      attempts,
      attempts.reduce((s, a) => s + a.durationMs, 0),
      ticket,
      routeErr?.info,
      routeErr ? routeErr.waitMs : 0,
      cacheInfo,
    );
    return res;
  }

  let finished = false;
  const recorder = cache?.recorder();
  const call: CallScope = {
    req,
    plan,
    ...(recorder && { recorder }),
    headers(meta, attempts) {
      const h: Record<string, string> = {
        ...ticket.headers,
        'x-switchyard-provider': meta.target.providerId,
        'x-switchyard-model': meta.target.model,
        'x-switchyard-attempts': String(attempts.length),
        ...idHeader,
      };
      if (cacheInfo) h['x-switchyard-cache'] = cacheInfo.cache;
      if (meta.cost) h['x-switchyard-cost-usd'] = nanosToUsdString(meta.cost.totalNanos);
      if (meta.warnings) {
        h[WARNINGS_HEADER] = warningsHeader(meta.warnings);
        deps.log.warn(
          { requestId, target: meta.target.id, warnings: meta.warnings },
          'request translated with warnings (parameters dropped or changed)',
        );
      }
      return h;
    },
    finish(status, meta, attempts, error) {
      if (finished) return;
      finished = true;
      if (error) meta.error = error;
      meta.endMs ??= deps.now() - meta.startTime;
      if (error && meta.streaming && meta.firstTokenMs !== undefined) chargeDelivered(meta, req, deps);
      const record = toCallRecord(meta, requestId, attributes);
      deps.observer.attemptFinished(record, { route: plan.name, kind: meta.attemptKind });
      if (recorder && !error && status === 200) recorder.commit(meta);
      ticket.settle({
        ok: !error,
        providerId: meta.target.providerId,
        model: meta.target.model,
        records: [...failedRecords, record],
        attempts: upstreamAttempts(attempts),
        ...(meta.usage && { usage: meta.usage }),
        ...(meta.cost && { cost: meta.cost }),
        ...(meta.unknownPrice && { unknownPrice: true }),
        ...(error && { error }),
      });
      const upstreamMs = attempts.slice(0, -1).reduce((s, a) => s + a.durationMs, 0) + (meta.endMs ?? 0);
      summary(status, attempts, upstreamMs, ticket, error, result.waitMs, cacheInfo, meta.warnings);
    },
    finishAfterResponse(meta, attempts) {
      const sent = () => {
        try {
          call.finish(200, meta, attempts); // a no-op once finished
        } catch (err) {
          // After the response: a throw would reach the writer (or, from the timer, take the process down).
          deps.log.error({ err, requestId }, 'finishing a completed request failed');
        }
      };
      setImmediate(sent);
      return sent;
    },
  };
  try {
    return spec.respond(result, call);
  } catch (err) {
    call.finish(500, (result.value as { meta: CallMeta }).meta, result.attempts);
    return fail(err);
  }
}
