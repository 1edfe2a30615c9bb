import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareProxy } from './bare-proxy.js';

const listen = (s: Server) =>
  new Promise<string>((resolve) =>
    s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );

describe('bare pass-through proxy', () => {
  let releaseSecond: () => void = () => {};
  const secondChunk = new Promise<void>((resolve) => {
    releaseSecond = resolve;
  });
  let upstream: Server;
  let proxy: ReturnType<typeof createBareProxy>;
  let url: string;

  beforeAll(async () => {
    // Echoes method, path, one request header and the body; on /stream sends one chunk, then the second only when
    // the test releases it, so "streamed" is proven by order, not by timing.
    upstream = createServer((req, res) => {
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: 1\n\n');
        void secondChunk.then(() => res.end('data: 2\n\n'));
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(418, { 'content-type': 'application/json', 'x-up': 'yes' });
        res.end(
          JSON.stringify({
            method: req.method,
            path: req.url,
            auth: req.headers.authorization,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      });
    });
    proxy = createBareProxy(await listen(upstream));
    url = await listen(proxy.server);
  });

  afterAll(async () => {
    await proxy.close();
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  it('forwards method, path, headers and body, and returns status, headers and body untouched', async () => {
    const res = await fetch(`${url}/v1/chat/completions?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: '{"model":"m"}',
    });
    expect(res.status).toBe(418);
    expect(res.headers.get('x-up')).toBe('yes');
    expect(await res.json()).toEqual({
      method: 'POST',
      path: '/v1/chat/completions?x=1',
      auth: 'Bearer sk-test',
      body: '{"model":"m"}',
    });
  });

  it('streams the response as it comes (first chunk before the upstream finishes)', async () => {
    const res = await fetch(`${url}/stream`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    // The upstream has not finished: a buffering proxy would never deliver this read.
    const first = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('first chunk was buffered')), 5_000)),
    ]);
    expect(new TextDecoder().decode(first.value)).toBe('data: 1\n\n');
    releaseSecond();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toBe('data: 2\n\n');
  });

  it('answers 502 when the upstream is unreachable', async () => {
    const dead = createBareProxy('http://127.0.0.1:1');
    const deadUrl = await listen(dead.server);
    const res = await fetch(`${deadUrl}/x`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(502);
    await dead.close();
  });
});
