// The upstream client's dispatch-based responses against a real loopback server: bodies read whole and streamed
// (with back-pressure), and cancellation before the request, while waiting for headers and mid-body.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Dispatcher, errors, Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cancellation } from '../pipeline/cancellation.js';
import { readBytesCapped } from '../pipeline/upstream-call.js';
import { DispatchBody, type DispatchedResponse, ResponseHandler } from './dispatch-response.js';
import { createUpstreamClient, type UpstreamRequestOptions } from './upstream-client.js';

const BIG = 1024 * 1024;
let server: Server;
let origin = '';
/** Set when the server sees a request's connection close before its answer was finished. */
const cutShort = new Set<string>();

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '';
  res.on('close', () => {
    if (!res.writableFinished) cutShort.add(path);
  });
  if (path === '/json') {
    res.writeHead(200, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
    res.end('{"ok":true}');
  } else if (path === '/big') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let sent = 0;
    const piece = Buffer.alloc(16 * 1024, 120);
    const pump = () => {
      while (sent < BIG) {
        sent += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  } else if (path === '/slow-headers') {
    setTimeout(() => res.end('late'), 10_000).unref();
  } else if (path === '/endless') {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: first\n\n');
    const t = setInterval(() => res.write('data: more\n\n'), 20);
    res.on('close', () => clearInterval(t));
  } else {
    res.writeHead(404).end();
  }
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const upstream = createUpstreamClient();
afterAll(() => upstream.close());

function options(cancel?: Cancellation, firstByteMs = 5_000): UpstreamRequestOptions {
  const c = cancel ?? new Cancellation();
  return { cancel: c, signal: c.signal, connectMs: 5_000, firstByteMs, idleMs: 5_000 };
}

const get = (path: string, opts = options()) =>
  upstream.request({ method: 'GET', url: `${origin}${path}`, headers: {} }, opts);

describe('dispatch-based upstream responses', () => {
  it('reads a JSON answer whole, with its status and parsed headers', async () => {
    const res = await get('/json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-multi']).toEqual(['a', 'b']);
    expect(res.body).toBeInstanceOf(DispatchBody);
    expect((await readBytesCapped(res.body, 1024))?.toString()).toBe('{"ok":true}');
  });

  it('streams a body larger than its high-water mark to a slow reader, every byte in order', async () => {
    const res = await get('/big');
    let total = 0;
    let bad = 0;
    for await (const chunk of res.body) {
      total += chunk.length;
      for (const byte of chunk) if (byte !== 120) bad++;
      await new Promise((r) => setTimeout(r, 1)); // slower than the socket: the body must pause, not grow
    }
    expect(total).toBe(BIG);
    expect(bad).toBe(0);
  });

  it('gives up a body past the cap and closes its connection', async () => {
    cutShort.delete('/endless');
    const res = await get('/endless');
    expect(await readBytesCapped(res.body, 100)).toBeUndefined();
    await expect.poll(() => cutShort.has('/endless')).toBe(true);
  });

  it('rejects a request whose cancellation already fired, with its reason', async () => {
    const cancel = new Cancellation();
    const reason = new Error('client went away');
    cancel.abort(reason);
    await expect(get('/json', options(cancel))).rejects.toBe(reason);
  });

  it('rejects with the reason when cancelled while waiting for headers, and the upstream sees it', async () => {
    const cancel = new Cancellation();
    const reason = new Error('hedge lost');
    const pending = get('/slow-headers', options(cancel));
    setTimeout(() => cancel.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
    await expect.poll(() => cutShort.has('/slow-headers')).toBe(true);
    expect(cancel.listenerCount('abort')).toBe(0);
  });

  it('follows an AbortSignal with no reason as undici does (RequestAbortedError)', async () => {
    const ctl = new AbortController();
    const opts: UpstreamRequestOptions = { signal: ctl.signal, connectMs: 5_000, firstByteMs: 5_000, idleMs: 5_000 };
    const pending = get('/slow-headers', opts);
    setTimeout(() => ctl.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    const ctl2 = new AbortController();
    ctl2.abort();
    Object.defineProperty(ctl2.signal, 'reason', { value: undefined });
    await expect(
      get('/json', { signal: ctl2.signal, connectMs: 5_000, firstByteMs: 5_000, idleMs: 5_000 }),
    ).rejects.toBeInstanceOf(errors.RequestAbortedError);
  });

  it('fails the reader mid-body with the cancellation reason', async () => {
    const cancel = new Cancellation();
    const res = await get('/endless', options(cancel));
    const reason = new Error('deadline');
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of res.body) {
          seen.push(chunk.toString());
          if (seen.length === 2) cancel.abort(reason);
        }
      })(),
    ).rejects.toBe(reason);
    expect(seen[0]).toContain('data: first');
    expect(cancel.listenerCount('abort')).toBe(0);
  });

  it('destroy(err) ends an endless body: the reader throws err and the connection closes', async () => {
    cutShort.delete('/endless');
    const res = await get('/endless');
    const err = new Error('stream deadline');
    setTimeout(() => res.body.destroy(err), 60);
    await expect(
      (async () => {
        for await (const _ of res.body);
      })(),
    ).rejects.toBe(err);
    await expect.poll(() => cutShort.has('/endless')).toBe(true);
  });

  it('a reader that stops early closes the request', async () => {
    cutShort.delete('/endless');
    const res = await get('/endless');
    for await (const _ of res.body) break;
    await expect.poll(() => cutShort.has('/endless')).toBe(true);
  });

  it('times out waiting for headers with undici’s HeadersTimeoutError', async () => {
    await expect(get('/slow-headers', options(undefined, 100))).rejects.toBeInstanceOf(errors.HeadersTimeoutError);
  });
});

// undici can keep a finished request reachable for a while, and its handler with it; a young object referenced
// from an old one survives every scavenge. Holding the request's objects there made each call leave ~10 KB to be
// promoted (scavenges 4x longer, the c=1 p99 of the gateway); these pin what a finished exchange still holds.
describe('a finished exchange lets go of the request', () => {
  class Capturing extends ResponseHandler {
    seen: Dispatcher.DispatchController | undefined;
    override onRequestStart(controller: Dispatcher.DispatchController): void {
      this.seen = controller;
      super.onRequestStart(controller);
    }
  }
  let pool: Pool;
  beforeAll(() => {
    pool = new Pool(origin);
  });
  afterAll(() => pool.close());

  async function exchange() {
    const cancel = new Cancellation();
    let handler: Capturing | undefined;
    const res = await new Promise<DispatchedResponse>((resolve, reject) => {
      handler = new Capturing(resolve, reject, cancel);
      pool.dispatch({ method: 'GET', path: '/json', headers: {} }, handler);
    });
    return { res, cancel, handler: handler as Capturing };
  }

  it('hands over the parsed headers and drops undici’s raw header buffers', async () => {
    const { res, handler } = await exchange();
    expect(res.headers['x-multi']).toEqual(['a', 'b']);
    expect((handler.seen as unknown as { rawHeaders?: unknown }).rawHeaders).toBeUndefined();
    expect((await res.body.text()).length).toBeGreaterThan(0);
  });

  it('after the body ends: no body, promise callbacks or cancellation (and its listener) left on the handler', async () => {
    const { res, cancel, handler } = await exchange();
    expect(await res.body.text()).toBe('{"ok":true}');
    const fields = handler as unknown as Record<string, unknown>;
    expect(fields.body).toBeUndefined();
    expect(fields.signal).toBeUndefined();
    expect(fields.onAbort).toBeUndefined();
    expect([fields.resolve, fields.reject].every((f) => typeof f === 'function' && f.length === 0)).toBe(true);
    expect(fields.resolve).toBe(fields.reject); // both the shared no-op
    expect(cancel.listenerCount('abort')).toBe(0);
  });
});
