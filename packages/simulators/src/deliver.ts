// Writes a Reply to the socket, applying timing knobs and the post-header faults. All waits end when the
// connection closes, so close() never waits on a sleeping handler.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleepTimer } from 'node:timers/promises';
import type { Fault, JsonReply, Reply, Scenario, SseReply } from './types.js';

/** Sleep unless the signal fires first; resolves false when aborted. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (!(ms > 0)) return true;
  try {
    await sleepTimer(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Resolves when the connection closes (used by `hang`). */
export function untilClosed(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

export const MALFORMED_EVENT = 'data: {"truncated": tr\n\n';

export interface DeliverOptions {
  reply: Reply;
  fault: Fault | undefined;
  scenario: Scenario;
  /** The provider's framed in-stream error event. */
  streamError: () => string | Uint8Array;
  /** Created on first use: the fast paths never wait, so they never pay for an AbortController. */
  signal: () => AbortSignal;
}

/** Text events are joined as text (one write); binary frames (AWS event stream) as bytes. */
function joined(events: ReadonlyArray<string | Uint8Array>): string | Buffer {
  if (events.every((e) => typeof e === 'string')) return events.join('');
  return Buffer.concat(events.map((e) => (typeof e === 'string' ? Buffer.from(e) : e)));
}

export async function deliver(res: ServerResponse, opts: DeliverOptions): Promise<void> {
  if (opts.reply.kind === 'json') return deliverJson(res, opts.reply, opts);
  return deliverSse(res, opts.reply, opts);
}

async function deliverJson(res: ServerResponse, reply: JsonReply, { fault, signal }: DeliverOptions): Promise<void> {
  let body = reply.body;
  let status = reply.status;
  if (fault?.kind === 'malformed_json' || fault?.kind === 'malformed_sse') {
    status = 200;
    body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
  }
  res.writeHead(status, { ...reply.headers, 'content-length': Buffer.byteLength(body) });
  if (fault?.kind === 'slow_drip') return drip(res, Buffer.from(body), fault.byteDelayMs ?? 2, signal());
  if (fault?.kind === 'reset_mid_stream') {
    res.write(body.slice(0, Math.floor(body.length / 2)));
    await sleep(5, signal()); // let the partial body reach the client before the reset
    res.destroy();
    return;
  }
  res.end(body); // a string body goes out in one write together with the headers
}

async function deliverSse(res: ServerResponse, reply: SseReply, opts: DeliverOptions): Promise<void> {
  const { fault, scenario } = opts;
  res.writeHead(200, reply.headers);
  const ttft = scenario.ttftMs ?? 0;
  const gap = scenario.chunkDelayMs ?? 0;
  if (fault?.kind === 'slow_drip') {
    res.flushHeaders();
    const signal = opts.signal();
    if (!(await sleep(ttft, signal))) return;
    return drip(res, Buffer.from(joined(reply.events)), fault.byteDelayMs ?? 2, signal);
  }
  const stopAt = streamFaultIndex(fault);
  if (ttft === 0 && gap === 0 && stopAt === undefined) {
    res.end(joined(reply.events));
    return;
  }
  // Headers go out ahead of the first event only when something comes between them (a ttft wait, a fault at
  // once); otherwise they leave with the first event in one write, as a server with its first chunk ready sends
  // them, so a client does not wake up twice for the start of one answer.
  if (ttft > 0 || stopAt === 0) res.flushHeaders();
  const signal = opts.signal();
  if (!(await sleep(ttft, signal))) return;
  const { events } = reply;
  for (let i = 0; i <= events.length; i++) {
    if (i === stopAt) return streamFault(res, fault as Fault, opts);
    if (i === events.length) break;
    if (i > 0 && !(await sleep(gap, signal))) return;
    res.write(events[i]);
  }
  res.end();
}

function streamFaultIndex(fault: Fault | undefined): number | undefined {
  switch (fault?.kind) {
    case 'reset_mid_stream':
    case 'stream_error_event':
    case 'malformed_sse':
      return Math.max(0, fault.afterChunks ?? 2);
    case 'hang':
      return fault.afterChunks === undefined ? undefined : Math.max(0, fault.afterChunks);
    default:
      return undefined;
  }
}

async function streamFault(res: ServerResponse, fault: Fault, opts: DeliverOptions): Promise<void> {
  const signal = opts.signal();
  switch (fault.kind) {
    case 'stream_error_event':
      res.end(opts.streamError());
      return;
    case 'malformed_sse':
      res.end(MALFORMED_EVENT);
      return;
    case 'hang':
      await untilClosed(signal);
      return;
    default:
      await sleep(5, signal); // flush what was written, then reset
      res.destroy();
  }
}

async function drip(res: ServerResponse, bytes: Buffer, delayMs: number, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0 && !(await sleep(delayMs, signal))) return;
    res.write(bytes.subarray(i, i + 1));
  }
  res.end();
}
