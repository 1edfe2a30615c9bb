// What one upstream attempt learned (usage, cost, timings), filled in as the response arrives, and the CallRecord
// built from it with core's types. Pricing uses core's priceCall (integer nano-USD; unknown price is flagged).
import {
  buildErrorInfo,
  type CallRecord,
  type ErrorInfo,
  nanosToUsdNumber,
  type Operation,
  type PriceSource,
  type Usage,
} from '@switchyard/core';
import { costOf } from '../pricing/resolve-price.js';
import type { PipelineDeps } from './pipeline-types.js';
import { type AttemptContext, AttemptError, type RouteTarget } from './seams.js';

export interface CallMeta {
  target: RouteTarget;
  attemptKind: AttemptContext['kind'];
  operation: Operation;
  streaming: boolean;
  startTime: number;
  /** ms from start to upstream headers. */
  headersMs?: number;
  /** ms from start to the first content byte (streams). */
  firstTokenMs?: number;
  endMs?: number;
  usage?: Usage;
  /** `usage` is the provider's closing report (not a running count such as Anthropic's message_start). */
  usageFinal?: boolean;
  /** UTF-8 bytes of text forwarded to the client so far (streams): what a cut-short stream is charged for. */
  deliveredTextBytes?: number;
  /** Most output tokens the provider can bill for this call (`n` × max tokens); bounds a cut-short charge. */
  outputCapTokens?: number;
  cost?: CallRecord['cost'];
  unknownPrice?: boolean;
  finishReasons: string[];
  responseModel?: string;
  responseId?: string;
  error?: ErrorInfo;
  /** What translation dropped or changed (parameters the target cannot honour): sent as x-switchyard-warnings. */
  warnings?: string[];
}

export const WARNINGS_HEADER = 'x-switchyard-warnings';

/** Warnings as one header value: `; `-joined, printable ASCII only, at most 1 KiB. */
export function warningsHeader(warnings: readonly string[]): string {
  const text = warnings.join('; ').replace(/[^\x20-\x7e]/g, '?');
  return text.length > 1024 ? `${text.slice(0, 1021)}...` : text;
}

/** Adds `more` to the attempt's warnings. */
export function addWarnings(meta: CallMeta, more: readonly string[] | undefined): void {
  if (!more || more.length === 0) return;
  meta.warnings = meta.warnings ? [...meta.warnings, ...more] : [...more];
}

/**
 * The `model` every response names (JSON and stream, every endpoint): the target that served it, as
 * `<providerId>/<model>` — what the client can send again to reach exactly that model, also behind an alias.
 */
export const servedModel = (target: { providerId: string; model: string }) => `${target.providerId}/${target.model}`;

export function newCallMeta(
  target: RouteTarget,
  attemptKind: AttemptContext['kind'],
  operation: Operation,
  streaming: boolean,
  now: number,
): CallMeta {
  return { target, attemptKind, operation, streaming, startTime: now, finishReasons: [] };
}

/**
 * An attempt failed before it committed: records the failure on its meta (for its CallRecord, via `onFailed`) and
 * returns what to throw — the AttemptError itself, or (logged) an `unknown` one for anything unexpected.
 */
export function attemptFailure(
  err: unknown,
  meta: CallMeta,
  deps: Pick<PipelineDeps, 'now' | 'log'>,
  onFailed: (meta: CallMeta) => void,
  logMessage: string,
): AttemptError {
  const info = err instanceof AttemptError ? err.info : buildErrorInfo('unknown', `${meta.target.providerId}: failed`);
  meta.error = info;
  meta.endMs = deps.now() - meta.startTime;
  onFailed(meta);
  if (err instanceof AttemptError) return err;
  deps.log.error({ err, target: meta.target.id }, logMessage);
  return new AttemptError(info);
}

/**
 * Runs a pure request translator. If it throws, the client's body is what this target cannot express: the
 * attempt's own 400 (never a 500), and another target in the plan may still take it.
 */
export function translateOrReject<T>(target: RouteTarget, translate: () => T): T {
  try {
    return translate();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new AttemptError({
      ...buildErrorInfo('bad_request', `${target.providerId}: the request cannot be translated: ${why}`),
      status: 400,
    });
  }
}

/**
 * Most tokens one call may report in any usage field. Far above any real model (context windows are ≤ a few
 * million tokens) and far below what overflows 64-bit nano-USD at any catalog price (≤ $1,000/M tokens). A provider
 * reporting more is answered `invalid_response` and never priced (docs/accounts.md "Usage limits").
 */
export const MAX_USAGE_TOKENS = 10_000_000;

/** Most server-side searches one call may report: each is a per-search fee, so they are bounded like tokens. */
export const MAX_USAGE_SEARCHES = 1000;

/** Every priced count of `Usage` and its bound: one unbounded field is enough to bill an absurd amount. */
const USAGE_BOUNDS: ReadonlyArray<readonly [keyof Usage, number]> = [
  ...(
    [
      'inputTokens',
      'outputTokens',
      'cacheReadTokens',
      'cacheWriteTokens',
      'cacheWrite1hTokens',
      'reasoningTokens',
      'inputAudioTokens',
      'cacheAudioReadTokens',
      'inputImageTokens',
      'cacheImageReadTokens',
      'outputAudioTokens',
      'outputImageTokens',
    ] as const
  ).map((f) => [f, MAX_USAGE_TOKENS] as const),
  ['webSearchRequests', MAX_USAGE_SEARCHES],
];

/** An AttemptError when a provider's usage is absurd (beyond its bound, negative, not an integer). */
export function checkUsage(usage: Usage, providerId: string): void {
  for (const [f, max] of USAGE_BOUNDS) {
    const v = (usage as unknown as Record<string, unknown>)[f];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
      throw new AttemptError(
        buildErrorInfo('invalid_response', `${providerId}: upstream reported an impossible usage (${f})`),
      );
    }
  }
}

/**
 * Sets usage and prices it with the one price resolution, at the attempt's start time; returns the cost in USD (a
 * number, for the client-facing `usage.cost`). The header, metrics and the ledger all read `meta.cost`.
 */
export function priceUsage(meta: CallMeta, usage: Usage, source: PriceSource): number | undefined {
  checkUsage(usage, meta.target.providerId);
  meta.usage = usage;
  const cost = costOf(source, meta.target, usage, meta.startTime);
  meta.unknownPrice = cost === undefined;
  if (cost) meta.cost = cost;
  else delete meta.cost;
  return cost ? nanosToUsdNumber(cost.totalNanos) : undefined;
}

type Server = { address: string; port: number } | undefined;
/** Parsed once per base URL, not per attempt (targets' URLs come from config); bounded across reloads. */
const servers = new Map<string, Server>();

function serverOf(baseURL: string): Server {
  if (servers.has(baseURL)) return servers.get(baseURL);
  let server: Server;
  try {
    const url = new URL(baseURL);
    server = { address: url.hostname, port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80) };
  } catch {
    // baseURL was validated by config; nothing to add otherwise.
  }
  if (servers.size >= 256) servers.clear();
  servers.set(baseURL, server);
  return server;
}

export function toCallRecord(meta: CallMeta, requestId: string, attributes: CallRecord['attributes']): CallRecord {
  const end = meta.endMs ?? 0;
  const record: CallRecord = {
    provider: meta.target.kind,
    providerId: meta.target.providerId,
    operation: meta.operation,
    requestModel: meta.target.model,
    startTime: meta.startTime,
    durationMs: end,
    streaming: meta.streaming,
    outcome: meta.error ? 'error' : 'ok',
    requestId,
  };
  if (meta.responseModel) record.responseModel = meta.responseModel;
  if (meta.firstTokenMs !== undefined) record.timeToFirstTokenMs = meta.firstTokenMs;
  if (meta.usage) record.usage = meta.usage;
  if (meta.cost) record.cost = meta.cost;
  if (meta.unknownPrice) record.unknownPrice = true;
  if (meta.error) record.error = meta.error;
  if (meta.finishReasons.length) record.finishReasons = meta.finishReasons;
  if (meta.responseId) record.responseId = meta.responseId;
  const server = serverOf(meta.target.baseURL);
  if (server) {
    record.serverAddress = server.address;
    record.serverPort = server.port;
  }
  if (attributes) record.attributes = attributes;
  return record;
}
