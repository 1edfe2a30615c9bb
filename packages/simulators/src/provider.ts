// The contract between the HTTP engine (I/O, timing, faults) and a provider's pure wire format.
import type { IncomingHttpHeaders } from 'node:http';
import type { Fault, JsonReply, Reply, ResolvedScenario } from './types.js';

export interface RequestContext {
  method: string;
  pathname: string;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
  /** The body as received (signature checks hash it). */
  raw: string;
  /** SHA-256 hex of pathname + raw body: the seed of ids and generated text. */
  hash: string;
  /** Unique per request (request-id headers). */
  requestId: string;
  scenario: ResolvedScenario;
}

export type StatusFault = Extract<Fault, { kind: 'status' }>;

export interface ProviderImpl {
  /** An error reply when the credentials or required headers are wrong, else null. */
  checkAuth(
    headers: IncomingHttpHeaders,
    query: URLSearchParams,
    apiKey: string | undefined,
    ctx: RequestContext,
  ): JsonReply | null;
  /** Route and answer a request that passed auth and had no pre-header fault. */
  handle(ctx: RequestContext): Reply;
  /** The provider's exact error reply for an injected status fault. */
  statusError(fault: StatusFault, ctx: RequestContext): JsonReply;
  /** A 400 in the provider's shape (bad JSON, bad scenario header). */
  badRequest(message: string, ctx: RequestContext): JsonReply;
  /** Request-id headers for this request (added to every reply built by `handle`). */
  requestIdHeaders(ctx: RequestContext): Record<string, string>;
  /** The in-stream error event sent after HTTP 200 (fully framed). */
  streamErrorEvent(ctx: RequestContext): string | Uint8Array;
}

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): JsonReply {
  return { kind: 'json', status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
} as const;

export function dataEvent(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

export function namedEvent(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** Bearer token from an Authorization header, or undefined. */
export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m?.[1]?.trim() || undefined;
}
