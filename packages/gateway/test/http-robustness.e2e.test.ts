// The HTTP shell's ugly realities: body limits, malformed JSON, wrong content types, client disconnects that
// must abort the upstream call, graceful shutdown that lets an in-flight stream finish, mounting under a prefix.
import { once } from 'node:events';
import { request } from 'node:http';
import { connect } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGateway } from '../src/http/create-gateway.js';
import { listen } from '../src/http/listen.js';
import { type Harness, resetSims, silentLog, simConfig, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ limits: { maxBodyBytes: 2048 } });
});
afterAll(() => h.close());
beforeEach(() => resetSims(h.sims));

const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${h.gw.url}${path}`, { method: 'POST', headers, body });

const chat = (extra: object = {}) =>
  JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...extra });

const waitFor = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('request bodies', () => {
  it('413 over the configured limit, in each API format', async () => {
    const big = 'x'.repeat(4000);
    const res = await post('/v1/chat/completions', chat({ user: big }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'request_too_large', type: 'invalid_request_error' } });
    const msg = await post('/v1/messages', JSON.stringify({ model: 'x', max_tokens: 1, messages: [], pad: big }));
    expect(msg.status).toBe(413);
    expect(await msg.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    expect(h.sims.openai.stats.requests).toBe(0);
  });

  it('malformed JSON → 400 invalid_json', async () => {
    const res = await post('/v1/chat/completions', '{"model": ');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_json', param: null } });
  });

  it('wrong content type → 415', async () => {
    const res = await post('/v1/chat/completions', chat(), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('application/json');
  });

  it('unknown path → 404 in OpenAI format; healthz and readyz answer', async () => {
    const res = await fetch(`${h.gw.url}/v1/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${h.gw.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${h.gw.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });
});

describe('client disconnect', () => {
  it('aborts the upstream stream when the client goes away mid-stream', async () => {
    h.sims.openai.setScenario({ chunkDelayMs: 50, outputTokens: 200 });
    const controller = new AbortController();
    const streaming = fetch(`${h.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chat({ stream: true }),
      signal: controller.signal,
    });
    const r = await streaming;
    const reader = r.body!.getReader();
    await reader.read();
    const abortedBefore = h.sims.openai.stats.aborted;
    controller.abort();
    await waitFor(() => h.sims.openai.stats.aborted > abortedBefore);
    await waitFor(() => h.sims.openai.stats.inFlight === 0);
    expect(h.sims.openai.stats.completed).toBe(0);
  });

  it('aborts a non-streaming upstream call that has not answered yet', async () => {
    h.sims.openai.setScenario({ latencyMs: 5_000 });
    const controller = new AbortController();
    const pending = fetch(`${h.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chat(),
      signal: controller.signal,
    }).catch(() => undefined);
    await waitFor(() => h.sims.openai.stats.inFlight === 1 && h.sims.openai.stats.requests === 1);
    controller.abort();
    await pending;
    await waitFor(() => h.sims.openai.stats.inFlight === 0);
    expect(h.sims.openai.stats.completed).toBe(0);
  });
});

describe('client gone before the handler runs', () => {
  // The request and the client's close can arrive in one read, so the response may be closed before the route
  // attaches its 'close' listener; the route must still see that the client is gone.
  it('a request whose socket closed as it arrived never reaches the upstream call to completion', async () => {
    h.sims.openai.setScenario({ latencyMs: 1_500 });
    const { port } = new URL(h.gw.url);
    const body = chat();
    const raw = `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const sockets = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const socket = connect(Number(port), '127.0.0.1');
        await once(socket, 'connect');
        return socket;
      }),
    );
    for (const socket of sockets) {
      socket.end(raw); // the whole request, then gone at once
      socket.destroy();
    }
    // The gateway runs in this process: holding its event loop lets each request and its close land in one read,
    // as they do on a loaded box.
    const until = Date.now() + 200;
    while (Date.now() < until) {}
    // Whatever reached the upstream must be cut short, not answered 1.5 s later.
    await new Promise((r) => setTimeout(r, 2_500));
    await waitFor(() => h.sims.openai.stats.inFlight === 0);
    expect(h.sims.openai.stats.requests).toBeGreaterThan(0); // the bodies were read and the calls went out
    expect(h.sims.openai.stats.completed).toBe(0);
  });
});

describe('failures after the first byte', () => {
  it('OpenAI stream: upstream reset mid-stream ends with one error event, no [DONE]', async () => {
    h.sims.openai.setScenario({ fault: { kind: 'reset_mid_stream', afterChunks: 3 } });
    const res = await post('/v1/chat/completions', chat({ stream: true }));
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    const last = JSON.parse((events.at(-1) ?? '').replace(/^data: /, ''));
    expect(last.error.message).toContain('openai');
    expect(text).not.toContain('[DONE]');
    expect(h.sims.anthropic.stats.requests).toBe(0); // committed: no fallback after bytes reached the client
  });

  it('/v1/messages stream: in-stream error after commit becomes `event: error`', async () => {
    h.sims.anthropic.setScenario({ chunkDelayMs: 20, fault: { kind: 'stream_error_event', afterChunks: 4 } });
    const res = await post(
      '/v1/messages',
      JSON.stringify({
        model: 'anthropic/claude-sonnet-4-5',
        max_tokens: 32,
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    const text = await res.text();
    expect(text).toContain('event: message_start');
    expect(text.trimEnd().split('\n\n').at(-1)).toMatch(/^event: error\ndata: \{"type":"error"/);
  });
});

describe('lifecycle', () => {
  it('graceful shutdown lets an in-flight stream finish, then refuses new connections', async () => {
    const gw = await listen(h.config, { log: silentLog, port: 0 });
    h.sims.openai.setScenario({ chunkDelayMs: 20, outputTokens: 20 });
    const req = request(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    req.end(chat({ stream: true }));
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      body += d;
    });
    const ended = once(res, 'end');
    await waitFor(() => body.length > 0);
    const closed = gw.close(5_000);
    await ended;
    await closed;
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body.split('data: ').length).toBeGreaterThan(20);
    await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow();
  });

  it('mounts under a prefix in a user app', async () => {
    const app = express();
    const gateway = createGateway(simConfig(h.sims), { log: silentLog });
    app.use('/llm', gateway);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    try {
      const res = await fetch(`http://127.0.0.1:${port}/llm/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chat(),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-switchyard-provider')).toBe('openai');
    } finally {
      server.close();
      await gateway.switchyard.close();
    }
  });
});
