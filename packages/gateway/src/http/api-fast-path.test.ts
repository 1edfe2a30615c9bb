// The node:http fast path takes only plain JSON POSTs to its exact paths and declines everything else untouched,
// so the Express app still answers those (compressed bodies, 415, 413, other paths and methods).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiRoute, createApiFastPath } from './api-fast-path.js';

let server: Server;
let url: string;
const served: unknown[] = [];
const failures: { path: string; type: unknown }[] = [];

beforeAll(async () => {
  const route: ApiRoute = async (_req, res, body) => {
    served.push(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"fast":true}');
  };
  const fast = createApiFastPath(new Map([['/v1/chat/completions', route]]), 64, (path, _req, res, err) => {
    failures.push({ path, type: (err as { type?: unknown }).type });
    res.writeHead(400);
    res.end();
  });
  server = createServer((req, res) => {
    if (fast(req, res)) return;
    // Stands in for the Express app: it must get the request with its body unread.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(299, { 'x-body-bytes': String(Buffer.concat(chunks).length) });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((r) => server.close(r)));

beforeEach(() => {
  served.length = 0;
  failures.length = 0;
});

const send = (path: string, body: string | Buffer, headers: Record<string, string>, method = 'POST') =>
  fetch(`${url}${path}`, { method, headers, body });

describe('api fast path', () => {
  it('serves a plain JSON POST (query string and charset allowed) with the parsed body', async () => {
    const res = await send('/v1/chat/completions?x=1', '{"model":"m"}', {
      'content-type': 'Application/JSON; charset=utf-8',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ fast: true });
    expect(served).toEqual([{ model: 'm' }]);
  });

  it.each([
    ['another path', '/v1/chat/completions/', { 'content-type': 'application/json' }, '{}'],
    [
      "a browser call (CORS is the app's)",
      '/v1/chat/completions',
      { 'content-type': 'application/json', origin: 'https://app.example' },
      '{}',
    ],
    ['a non-JSON content type', '/v1/chat/completions', { 'content-type': 'text/plain' }, '{}'],
    ['a JSON-suffixed type', '/v1/chat/completions', { 'content-type': 'application/vnd.x+json' }, '{}'],
    ['a body over the limit', '/v1/chat/completions', { 'content-type': 'application/json' }, 'x'.repeat(65)],
    [
      'a gzip body',
      '/v1/chat/completions',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      gzipSync('{}'),
    ],
  ])('declines %s, body unread', async (_what, path, headers, body) => {
    const res = await send(path, body, headers);
    expect(res.status).toBe(299);
    expect(res.headers.get('x-body-bytes')).toBe(String(Buffer.byteLength(body)));
    expect(served).toEqual([]);
  });

  it('declines other methods', async () => {
    const res = await fetch(`${url}/v1/chat/completions`);
    expect(res.status).toBe(299);
  });

  it('hands an unreadable body to the failure handler with its path and body-parser error type', async () => {
    const res = await send('/v1/chat/completions', '{"model":', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(failures).toEqual([{ path: '/v1/chat/completions', type: 'entity.parse.failed' }]);
    expect(served).toEqual([]);
  });
});
