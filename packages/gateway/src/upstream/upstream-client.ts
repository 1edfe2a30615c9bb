// Upstream HTTP on undici: one keep-alive Pool per (origin, connect timeout), created on first use and reused for
// the life of the gateway. Every request carries the attempt's cancellation (client disconnect, deadline, hedge):
// its `cancel` when given (an EventEmitter: no AbortSignal built), else its `signal`. Requests go through
// `dispatch` with our own handler (dispatch-response.ts), so a body is never wrapped in a Readable.
import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import type { Cancellation } from '../pipeline/cancellation.js';
import type { HttpRequestSpec } from '../providers/provider-adapter.js';
import { ResponseHandler } from './dispatch-response.js';

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** `destroy(err)` ends the body early: iteration then throws `err` and the connection is not reused. */
  body: AsyncIterable<Buffer> & { text(): Promise<string>; dump(): Promise<void>; destroy(err?: Error): unknown };
}

export interface UpstreamRequestOptions {
  signal: AbortSignal;
  /** The same as `signal`, cheaper: preferred when given (reading `signal` may create it). */
  cancel?: Cancellation | undefined;
  connectMs: number;
  /** Time to response headers (first byte). */
  firstByteMs: number;
  /** Longest silence allowed between body chunks. */
  idleMs: number;
}

export interface Upstream {
  request(spec: HttpRequestSpec, opts: UpstreamRequestOptions): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface UpstreamClientOptions {
  keepAliveTimeoutMs?: number;
  /** Max sockets per origin; undefined = unlimited (undici's default). */
  connectionsPerOrigin?: number;
}

// Request URLs repeat (one per provider endpoint, model in the body; Gemini's carry the model): parsed once each.
// Bounded, since a URL may carry a client-chosen model name: past the bound a URL is parsed and not kept.
const MAX_PARSED_URLS = 1024;
const parsedUrls = new Map<string, { origin: string; path: string }>();

function originAndPath(href: string): { origin: string; path: string } {
  let parsed = parsedUrls.get(href);
  if (!parsed) {
    const url = new URL(href);
    parsed = { origin: url.origin, path: url.pathname + url.search };
    if (parsedUrls.size < MAX_PARSED_URLS) parsedUrls.set(href, parsed);
  }
  return parsed;
}

export function createUpstreamClient(options: UpstreamClientOptions = {}): Upstream {
  const pools = new Map<string, Pool>();
  const poolFor = (origin: string, connectMs: number): Pool => {
    const key = `${origin}|${connectMs}`;
    let pool = pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        connect: { timeout: connectMs },
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
        ...(options.connectionsPerOrigin !== undefined && { connections: options.connectionsPerOrigin }),
      });
      pools.set(key, pool);
    }
    return pool;
  };

  return {
    async request(original, opts) {
      const transport = original.transport;
      const spec = transport ? await transport.prepare(original) : original;
      const url = originAndPath(spec.url);
      const pool = poolFor(url.origin, opts.connectMs);
      const out: UpstreamResponse = await new Promise((resolve, reject) => {
        const handler = new ResponseHandler(resolve, reject, opts.cancel ?? opts.signal);
        const dispatch = {
          method: spec.method,
          path: url.path,
          headers: spec.headers,
          body: spec.body ?? null,
          headersTimeout: opts.firstByteMs,
          bodyTimeout: opts.idleMs,
        };
        try {
          pool.dispatch(dispatch, handler);
        } catch (err) {
          reject(err); // invalid options (e.g. a header undici refuses), as request() rejects them
        }
      });
      return transport?.frame ? transport.frame(out) : out;
    },
    async close() {
      const all = [...pools.values()];
      pools.clear();
      await Promise.all(all.map((p) => p.close().catch(() => p.destroy())));
    },
  };
}
