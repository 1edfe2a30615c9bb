// Cancellation: an AbortSignal's behaviour (abort once, reason, follow a parent) without building one, and
// accepted by undici as a request signal.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Cancellation, cancellationOf } from './cancellation.js';

describe('Cancellation', () => {
  it('aborts once, with the given reason or an AbortError, and tells its listeners', () => {
    const c = new Cancellation();
    const seen: unknown[] = [];
    c.onAbort((r) => seen.push(r));
    expect(c.aborted).toBe(false);
    c.abort('first');
    c.abort('second');
    expect(c.aborted).toBe(true);
    expect(c.reason).toBe('first');
    expect(seen).toEqual(['first']);
    const late: unknown[] = [];
    c.onAbort((r) => late.push(r)); // already aborted: called at once
    expect(late).toEqual(['first']);

    const d = new Cancellation();
    d.abort();
    expect(d.reason).toBeInstanceOf(DOMException);
    expect((d.reason as DOMException).name).toBe('AbortError');
  });

  it('its signal is a real AbortSignal that follows it, whether read before or after the abort', () => {
    const before = new Cancellation();
    const signal = before.signal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(before.signal).toBe(signal); // one per cancellation
    expect(signal.aborted).toBe(false);
    before.abort('gone');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('gone');

    const after = new Cancellation();
    after.abort('late');
    expect(after.signal.aborted).toBe(true);
    expect(after.signal.reason).toBe('late');
  });

  it('follows a parent Cancellation or AbortSignal, keeping its reason; a child abort leaves the parent alone', () => {
    const parent = new Cancellation();
    const child = Cancellation.following(parent);
    const sibling = Cancellation.following(parent);
    sibling.abort('lost the race');
    expect(parent.aborted).toBe(false);
    expect(child.aborted).toBe(false);
    parent.abort('client gone');
    expect(child.reason).toBe('client gone');

    const ctl = new AbortController();
    const fromSignal = cancellationOf({ signal: ctl.signal });
    ctl.abort('bye');
    expect(fromSignal.aborted).toBe(true);
    expect(fromSignal.reason).toBe('bye');
    const aborted = Cancellation.following(AbortSignal.abort('already'));
    expect(aborted.reason).toBe('already');

    const own = new Cancellation();
    expect(cancellationOf({ cancel: own, signal: new AbortController().signal })).toBe(own);
  });

  it('takes many listeners without a leak warning (one per attempt)', () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const c = new Cancellation();
    for (let i = 0; i < 20; i++) c.onAbort(() => {});
    process.off('warning', onWarning);
    expect(c.listenerCount('abort')).toBe(20);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});

describe('Cancellation as an undici request signal', () => {
  let server: Server | undefined;
  let pool: Pool | undefined;
  afterEach(async () => {
    await pool?.destroy();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('aborts a request that has no answer yet, with its reason, and the server sees the connection close', async () => {
    let closed: () => void = () => {};
    const serverSawClose = new Promise<void>((r) => {
      closed = r;
    });
    const arrived = new Promise<void>((resolve) => {
      server = createServer((_req, res) => {
        res.on('close', closed); // never answers
        resolve();
      });
    });
    const s = server as unknown as Server;
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    pool = new Pool(`http://127.0.0.1:${(s.address() as AddressInfo).port}`);
    const cancel = new Cancellation();
    const pending = pool.request({ method: 'GET', path: '/', signal: cancel });
    await arrived;
    const reason = new Error('first byte timeout');
    cancel.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await serverSawClose;
    expect(cancel.listenerCount('abort')).toBe(0); // undici's listener was `once`
  });
});
