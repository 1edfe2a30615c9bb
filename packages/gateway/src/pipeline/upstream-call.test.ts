// The upstream call relies on the attempt's cancellation (no per-request AbortSignal.any, no AbortController at all
// for a plain JSON call: docs/decisions/0011) and still enforces the request deadline on a stream's tail, after the
// attempt committed.
import { request as httpRequest, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../config/load-config.js';
import { listen, type RunningGateway } from '../http/listen.js';
import { chunkEvent, startFakeOpenAIUpstream } from './testing/fake-openai-upstream.js';

let upstream: Server;
let gw: RunningGateway;
const open = new Set<ServerResponse>();
let upstreamClosed = 0;

const chunk = (content: string) => chunkEvent({ content });

beforeAll(async () => {
  // model "trickle": a chunk every 50 ms, forever; model "stall": one chunk, then silence; else plain JSON.
  const fake = await startFakeOpenAIUpstream((model, res) => {
    if (model === 'json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          created: 1,
          model: 'json',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(chunk('first'));
    open.add(res);
    const tick = model === 'trickle' ? setInterval(() => res.write(chunk('more')), 50) : undefined;
    res.on('close', () => {
      clearInterval(tick);
      open.delete(res);
      upstreamClosed++;
    });
  });
  upstream = fake.server;
  const config = validateConfig({
    providers: { up: { kind: 'openai-compatible', apiKey: 'k', baseURL: fake.baseURL } },
    // First-byte (and idle) timeout far beyond the total: only the deadline can end these streams.
    timeouts: { connectMs: 1_000, firstByteMs: 30_000, totalMs: 600 },
  });
  gw = await listen(config, { log: { warn() {}, error() {} }, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await gw?.close(1_000);
  await new Promise((r) => upstream?.close(r));
});

async function streamFor(model: string) {
  const t0 = performance.now();
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: `up/${model}`, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}

describe('upstream call', () => {
  it('cuts a stream that keeps trickling at the request deadline, with an error event', async () => {
    const closedBefore = upstreamClosed;
    const { status, text, ms } = await streamFor('trickle');
    expect(status).toBe(200);
    expect(text).toContain('"content":"first"');
    expect(text).toMatch(/data: \{"error":\{"message":"up: upstream deadline exceeded"/);
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(2_000);
    await vi.waitFor(() => expect(upstreamClosed).toBe(closedBefore + 1)); // upstream connection torn down
  });

  it('cuts a stream that went silent after its first chunk at the deadline, not at the idle timeout', async () => {
    const { text, ms } = await streamFor('stall');
    expect(text).toContain('upstream deadline exceeded');
    expect(ms).toBeLessThan(2_000);
  });

  it('creates no AbortSignal.any per request', async () => {
    const any = vi.spyOn(AbortSignal, 'any');
    try {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'up/json', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      await res.json();
      await streamFor('stall');
      expect(any).not.toHaveBeenCalled();
    } finally {
      any.mockRestore();
    }
  });

  it('builds no AbortController for a plain JSON call (client, attempt and upstream request use a Cancellation)', async () => {
    // node:http, not fetch: the client must not create controllers of its own in this process.
    const post = () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          `${gw.url}/v1/chat/completions`,
          { method: 'POST', headers: { 'content-type': 'application/json' } },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              body += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ model: 'up/json', messages: [{ role: 'user', content: 'hi' }] }));
      });
    expect((await post()).status).toBe(200); // warm: pools, caches
    const Original = globalThis.AbortController;
    let created = 0;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        created++;
      }
    };
    try {
      const res = await post();
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).choices[0].message.content).toBe('ok');
    } finally {
      globalThis.AbortController = Original;
    }
    expect(created).toBe(0);
  });
});
