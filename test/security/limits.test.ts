// Exposure and resource limits: the CLI binds 127.0.0.1 unless told otherwise, oversized headers are refused
// (431), and slow clients — headers dribbled byte by byte (slowloris) or a body that stalls — are cut off with
// 408 instead of holding a socket forever. Body-size limits (413) are in ../reliability/bad-input.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../packages/gateway/src/config/load-config.js';
import { listen, type RunningGateway } from '../../packages/gateway/src/http/listen.js';
import { FULL } from '../reliability/wire-checks.js';
import { type GatewayProcess, spawnGateway } from '../support/gateway.js';

let gw: GatewayProcess;
const dir = mkdtempSync(join(tmpdir(), 'sy-limits-'));

beforeAll(async () => {
  // No `server:` section and no --host: the defaults decide where it listens.
  const file = join(dir, 'switchyard.json');
  writeFileSync(
    file,
    JSON.stringify({ providers: { openai: { kind: 'openai', apiKey: 'sk-x', baseURL: 'http://127.0.0.1:9/v1' } } }),
  );
  gw = await spawnGateway(['start', '--config', file, '--port', '0'], {});
}, 120_000);
afterAll(async () => {
  if (gw?.alive()) await gw.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** Opens a raw socket, writes `parts` `gapMs` apart; resolves with what came back and when the socket closed. */
function rawClient(port: number, parts: string[], gapMs: number, maxMs: number) {
  return new Promise<{ reply: string; closedAfterMs: number }>((resolve) => {
    const t0 = Date.now();
    let reply = '';
    const s = connect(port, '127.0.0.1');
    let i = 0;
    const timer = setInterval(() => {
      if (i < parts.length && !s.destroyed) s.write(parts[i++] ?? '');
    }, gapMs);
    const give = setTimeout(() => s.destroy(), maxMs);
    s.on('data', (d) => {
      reply += d.toString();
    });
    s.on('error', () => {});
    s.on('close', () => {
      clearInterval(timer);
      clearTimeout(give);
      resolve({ reply, closedAfterMs: Date.now() - t0 });
    });
  });
}

describe('exposure', () => {
  it('binds 127.0.0.1 by default: not reachable on the machine’s other addresses', async () => {
    const url = new URL(gw.url);
    expect(url.hostname).toBe('127.0.0.1');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a?.address as string);
    for (const address of others) {
      const reached = await new Promise<boolean>((resolve) => {
        const s = connect(Number(url.port), address, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
        s.setTimeout(2_000, () => {
          s.destroy();
          resolve(false);
        });
      });
      expect(reached, `reachable on ${address}`).toBe(false);
    }
  });

  it('oversized request headers → 431, and the process carries on', async () => {
    const res = await fetch(`${gw.url}/v1/models`, {
      headers: { 'x-big': 'a'.repeat(20_000) },
      signal: AbortSignal.timeout(5_000),
    }).catch(() => undefined);
    expect(res?.status ?? 431).toBe(431); // Node may answer 431 or drop the connection
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
  });
});

describe('slow clients', () => {
  let inProc: RunningGateway;
  beforeAll(async () => {
    const config = validateConfig({
      server: { host: '127.0.0.1', port: 0 },
      providers: { openai: { kind: 'openai', apiKey: 'sk-x', baseURL: 'http://127.0.0.1:9/v1' } },
    });
    // Short limits so the test is quick; the defaults (30 s headers, 120 s request) are checked in the full profile.
    inProc = await listen(config, { headersTimeoutMs: 500, requestTimeoutMs: 1_000, log: { warn() {}, error() {} } });
  });
  afterAll(() => inProc?.close(1_000));

  it('slowloris headers and stalled bodies are cut off with 408; 30 at once leave nothing open', async () => {
    const port = Number(new URL(inProc.url).port);
    const slowHeaders = 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nX-B: 2\r\n'.split('');
    const stalledBody = [
      'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"mo',
    ];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => rawClient(port, i % 2 ? slowHeaders : stalledBody, 100, 10_000)),
    );
    for (const r of results) {
      expect(r.closedAfterMs).toBeLessThan(5_000);
      expect(r.reply).toMatch(/^HTTP\/1\.1 408|^$/);
    }
    expect(results.filter((r) => r.reply.startsWith('HTTP/1.1 408')).length).toBeGreaterThan(20);
    expect(inProc.server.listening).toBe(true);
    expect((await fetch(`${inProc.url}/healthz`)).status).toBe(200);
  }, 30_000);

  it.runIf(FULL)(
    'the CLI gateway’s default guard closes a slowloris within 40 s',
    async () => {
      const port = Number(new URL(gw.url).port);
      const r = await rawClient(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n'.split(''), 1_000, 60_000);
      expect(r.closedAfterMs).toBeLessThan(40_000);
    },
    70_000,
  );
});
