// Transport failures reach the client naming the provider id and a short reason, with the ErrorClass as `code`:
// never the upstream host:port nor undici's raw code. Real errors from undici against loopback sockets.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromErrorInfo } from '../pipeline/client-errors.js';
import { classifyTransportError, transportDetail } from './transport-error.js';
import { createUpstreamClient } from './upstream-client.js';

const upstream = createUpstreamClient();
let resetter: Server;
let resetPort = 0;
let deadPort = 0;

beforeAll(async () => {
  // Accepts, then resets every connection before answering.
  resetter = createServer((s) => s.resetAndDestroy());
  await new Promise<void>((r) => resetter.listen(0, '127.0.0.1', r));
  resetPort = (resetter.address() as { port: number }).port;
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  deadPort = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r)); // nothing listens here now: connection refused
});

afterAll(async () => {
  await upstream.close();
  await new Promise((r) => resetter?.close(r));
});

async function thrownBy(port: number): Promise<unknown> {
  try {
    await upstream.request(
      { method: 'POST', url: `http://127.0.0.1:${port}/v1/chat/completions`, headers: {}, body: '{}' },
      { signal: new AbortController().signal, connectMs: 1_000, firstByteMs: 1_000, idleMs: 1_000 },
    );
  } catch (err) {
    return err;
  }
  throw new Error('expected the request to fail');
}

const none = { clientGone: false, timedOut: false };

describe('transport errors to the client', () => {
  it.each([
    ['refused', () => deadPort, 'provider "openai" connection failed (connection refused)'],
    ['reset', () => resetPort, /^provider "openai" connection failed \(connection (reset|closed)\)$/],
  ])('%s: names the provider, not the address; code is the ErrorClass', async (_name, port, message) => {
    const err = await thrownBy(port());
    const info = classifyTransportError(err, 'openai', 'openai', none);
    expect(info.errorClass).toBe('connection');
    expect(info.message).toMatch(message);
    const { status, body } = fromErrorInfo(info, 'openai');
    expect(status).toBe(502);
    expect(body).toMatchObject({ error: { code: 'connection', message: info.message } });
    const text = JSON.stringify(body);
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain(String(port()));
    expect(text).not.toMatch(/UND_ERR|ECONN/);
    // The raw transport code stays on the ErrorInfo (spans) and the detail goes to the log.
    expect(info.providerCode).toMatch(/UND_ERR|ECONN/);
    expect(transportDetail(err).code).toMatch(/UND_ERR|ECONN/);
  });

  it('the Anthropic-format body carries the same provider-named message', async () => {
    const info = classifyTransportError(await thrownBy(deadPort), 'anthropic', 'claude-main', none);
    const text = JSON.stringify(fromErrorInfo(info, 'anthropic').body);
    expect(text).toContain('provider \\"claude-main\\" connection failed (connection refused)');
    expect(text).not.toContain(String(deadPort));
  });

  it('a provider HTTP error keeps the provider code; a transport timeout uses the class', () => {
    const http = fromErrorInfo(
      {
        errorClass: 'rate_limited',
        retryable: true,
        fallbackEligible: true,
        status: 429,
        providerCode: 'rate_limit_exceeded',
        message: 'openai: slow down',
      },
      'openai',
    );
    expect(http.body).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    const timeout = classifyTransportError(
      Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
      'openai',
      'up',
      none,
    );
    expect(timeout.message).toBe('provider "up" timed out (no response headers in time)');
    expect(fromErrorInfo(timeout, 'openai').body).toMatchObject({ error: { code: 'timeout' } });
  });
});
