// #13 DoS: a 2xx upstream body is read with a cap (limits.maxUpstreamBodyBytes) and a stream event too. An endless
// JSON body or an endless SSE line ends as a clean invalid_response (502 / an error event), the upstream socket torn
// down, instead of growing the heap until the process stalls.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../config/load-config.js';
import { listen, type RunningGateway } from '../http/listen.js';
import { type FakeUpstream, startFakeOpenAIUpstream } from './testing/fake-openai-upstream.js';

let fake: FakeUpstream;
let gw: RunningGateway;
const open = new Set<ServerResponse>();
let closed = 0;
let sent = 0;

/** Writes `head`, then 64 KB pieces until the peer goes away (bounded: 4,096 pieces = 256 MB). */
function endless(res: ServerResponse, type: string, head: string) {
  res.writeHead(200, { 'content-type': type });
  res.write(head);
  open.add(res);
  const piece = 'z'.repeat(64 * 1024);
  let n = 0;
  const more = () => {
    while (n < 4096 && !res.destroyed) {
      n++;
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', more);
    }
  };
  res.on('close', () => {
    open.delete(res);
    closed++;
  });
  more();
}

beforeAll(async () => {
  fake = await startFakeOpenAIUpstream((model, res) => {
    if (model === 'huge-json') endless(res, 'application/json', '{"id":"');
    else endless(res, 'text/event-stream', 'data: {"id":"');
  });
  const config = validateConfig({
    providers: { up: { kind: 'openai-compatible', apiKey: 'k', baseURL: fake.baseURL } },
    limits: { maxUpstreamBodyBytes: 1024 * 1024 },
    retry: { maxAttempts: 1 },
  });
  gw = await listen(config, { log: { warn() {}, error() {} }, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await gw?.close(1_000);
  await new Promise((r) => fake?.server.close(r));
});

const call = (model: string, stream: boolean) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: `up/${model}`, stream, messages: [{ role: 'user', content: 'hi' }] }),
    signal: AbortSignal.timeout(30_000),
  });

describe('upstream body caps', () => {
  it('an endless 2xx JSON body → 502 invalid_response, upstream socket closed', async () => {
    const before = closed;
    sent = 0;
    const res = await call('huge-json', false);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { message: string; type: string } };
    expect(body.error.message).toMatch(/up: upstream response body is larger than 1048576 bytes/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    await vi.waitFor(() => expect(closed).toBe(before + 1), { timeout: 10_000 });
    expect(sent).toBeLessThan(64 * 1024 * 1024); // cut near the cap, not read to the end
  });

  it('an endless SSE line → the stream ends with an invalid_response error, upstream socket closed', async () => {
    const before = closed;
    const res = await call('huge-sse', true);
    const text = await res.text();
    // Nothing was sent before the cap: the attempt fails before commit, as a 502.
    expect(res.status).toBe(502);
    expect(text).toMatch(/stream event larger than 1048576 characters/);
    await vi.waitFor(() => expect(closed).toBe(before + 1), { timeout: 10_000 });
  });
});
