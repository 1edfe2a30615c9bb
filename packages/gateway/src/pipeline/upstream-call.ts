// Sends one request upstream for an attempt, transport errors and non-2xx statuses turned into AttemptError with
// the provider named. Returns the open response on 2xx.
// Cancellation is the attempt's own (client gone, first-byte timeout, deadline, hedge lost): its `ctx.cancel`,
// which undici takes as the request signal without any AbortSignal being built (docs/decisions/0011), else its
// `ctx.signal`. No extra AbortController or AbortSignal.any per request (signal creation was the top cost in
// the routing profile). The one gap is a stream's tail: the attempt ends when the stream commits, so from then on
// a plain timer enforces the request deadline by destroying the body.
import { Readable } from 'node:stream';
import { buildErrorInfo, classifyHttpError, type ErrorInfo } from '@switchyard/core';
import { DEFAULT_MAX_UPSTREAM_BODY_BYTES, type GatewayConfig } from '../config/config-schema.js';
import type { HttpRequestSpec } from '../providers/provider-adapter.js';
import { SseEventTooLarge } from '../providers/sse.js';
import { DispatchBody } from '../upstream/dispatch-response.js';
import { classifyTransportError, transportDetail } from '../upstream/transport-error.js';
import type { UpstreamRequestOptions, UpstreamResponse } from '../upstream/upstream-client.js';
import type { Cancellation } from './cancellation.js';
import type { PipelineDeps } from './pipeline-types.js';
import { type AttemptContext, AttemptError, type GatewayRequest, type RoutePlan, type RouteTarget } from './seams.js';

/** Largest upstream error body we read to classify it. */
const MAX_ERROR_BODY = 64 * 1024;

export interface OpenUpstream {
  res: UpstreamResponse;
  /** Classifies an error thrown while reading the body (after headers). */
  failure(err: unknown): ErrorInfo;
  /** Releases the stream deadline timer; call when the body is done. */
  done(): void;
  /** Largest 2xx body `readJson` accepts (config `limits.maxUpstreamBodyBytes`). */
  maxBodyBytes: number;
}

/**
 * The upstream request options of an attempt. A class, so `signal` is a prototype getter (an object literal with an
 * accessor takes V8's slow path): read only by upstreams that ignore `cancel`, and then created (ADR 0011).
 */
class AttemptRequestOptions implements UpstreamRequestOptions {
  readonly cancel: Cancellation | undefined;
  readonly connectMs: number;
  readonly firstByteMs: number;
  readonly idleMs: number;
  constructor(
    private readonly ctx: AttemptContext,
    timeouts: RoutePlan['timeouts'],
  ) {
    this.cancel = ctx.cancel;
    this.connectMs = timeouts.connectMs;
    this.firstByteMs = timeouts.firstByteMs;
    this.idleMs = timeouts.firstByteMs;
  }
  get signal(): AbortSignal {
    return this.ctx.signal;
  }
}

/** Thrown into a stream's body when the request deadline passes after the stream was committed. */
class StreamDeadline extends Error {
  constructor() {
    super('upstream deadline exceeded');
    this.name = 'StreamDeadline';
  }
}

async function readCapped(body: UpstreamResponse['body']): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += chunk.toString('utf8');
    if (text.length > MAX_ERROR_BODY) {
      await body.dump().catch(() => {});
      return text.slice(0, MAX_ERROR_BODY);
    }
  }
  return text;
}

function prefixed(info: ErrorInfo, providerId: string): ErrorInfo {
  return info.message.startsWith(`${providerId}:`) ? info : { ...info, message: `${providerId}: ${info.message}` };
}

export async function openUpstream(
  spec: HttpRequestSpec,
  target: RouteTarget,
  ctx: AttemptContext,
  plan: RoutePlan,
  req: GatewayRequest,
  deps: Pick<PipelineDeps, 'upstream' | 'now' | 'log'> & { config?: Pick<GatewayConfig, 'limits'> },
): Promise<OpenUpstream> {
  let timer: NodeJS.Timeout | undefined;
  const failure = (err: unknown): ErrorInfo => {
    if (err instanceof SseEventTooLarge)
      return buildErrorInfo('invalid_response', `${target.providerId}: upstream ${err.message}`);
    const info = classifyTransportError(err, target.kind, target.providerId, {
      clientGone: (req.cancel ?? req.signal).aborted,
      timedOut: err instanceof StreamDeadline,
    });
    // The client's message names only the provider; the transport's own words (hosts, ports) are for the operator.
    if (info.errorClass !== 'cancelled')
      deps.log.warn(
        { target: target.id, errorClass: info.errorClass, ...transportDetail(err) },
        'upstream transport error',
      );
    return info;
  };
  const done = () => clearTimeout(timer);
  let res: UpstreamResponse;
  try {
    res = await deps.upstream.request(spec, new AttemptRequestOptions(ctx, plan.timeouts));
  } catch (err) {
    throw new AttemptError(failure(err));
  }
  if (res.status >= 400) {
    let text = '';
    try {
      text = await readCapped(res.body);
    } catch {
      // The status alone still classifies the error.
    }
    throw new AttemptError(prefixed(classifyHttpError(target.kind, res.status, text, res.headers), target.providerId));
  }
  if (req.stream) {
    const body = res.body;
    timer = setTimeout(() => body.destroy(new StreamDeadline()), Math.max(1, ctx.deadline - deps.now()));
    timer.unref();
  }
  const maxBodyBytes = deps.config?.limits?.maxUpstreamBodyBytes ?? DEFAULT_MAX_UPSTREAM_BODY_BYTES;
  return { res, failure, done, maxBodyBytes };
}

const invalidResponse = (message: string): AttemptError =>
  new AttemptError(buildErrorInfo('invalid_response', message));

/** The whole body as bytes, or `undefined` (body destroyed, socket torn down) once it passes `max` bytes. */
export async function readBytesCapped(body: UpstreamResponse['body'], max: number): Promise<Buffer | undefined> {
  // The upstream client's own body is read whole without iterating. A Node Readable (a test's or a custom
  // upstream's) is read by its events: a per-chunk async iterator was the largest share of reading a small JSON
  // answer in the per-request profile. Other bodies (framed transports) are iterated.
  if (body instanceof DispatchBody) return body.readAll(max);
  if (body instanceof Readable) return readReadableCapped(body, max);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      // Destroying (not dumping) closes the connection: an endless body is not drained into the void either.
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

const ignore = () => {};

/** `readBytesCapped` for a Readable: the same outcomes as `for await` (its error, or premature close) by events. */
function readReadableCapped(body: Readable, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        stop();
        body.on('error', ignore); // undici errors a body destroyed without a reason ("Request aborted")
        body.destroy();
        resolve(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    const onClose = () => {
      stop();
      reject(body.errored ?? Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    if (body.errored) return reject(body.errored);
    if (body.destroyed) return onClose();
    if (body.readableEnded) return resolve(Buffer.concat(chunks, size));
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
  });
}

/**
 * Reads a whole 2xx JSON body, at most `open.maxBodyBytes` of it; a larger body or one that is not JSON is an
 * `invalid_response` from that provider.
 */
export async function readJson(open: OpenUpstream, providerId: string): Promise<unknown> {
  return (await readJsonText(open, providerId)).json;
}

/** `readJson`, also returning the text that was parsed (for a same-format answer sent back as that text). */
export async function readJsonText(open: OpenUpstream, providerId: string): Promise<{ json: unknown; text: string }> {
  let bytes: Buffer | undefined;
  try {
    bytes = await readBytesCapped(open.res.body, open.maxBodyBytes);
  } catch (err) {
    throw new AttemptError(open.failure(err));
  } finally {
    open.done();
  }
  if (!bytes) throw invalidResponse(`${providerId}: upstream response body is larger than ${open.maxBodyBytes} bytes`);
  const text = bytes.toString('utf8');
  try {
    return { json: JSON.parse(text), text };
  } catch {
    throw invalidResponse(`${providerId}: upstream returned a body that is not JSON`);
  }
}
