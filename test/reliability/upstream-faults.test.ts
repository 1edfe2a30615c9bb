// Upstream faults (simulator fault injection) through a spawned gateway, for each provider kind, streamed and not:
// each ends in the right error class or a successful fallback, with no stuck reservation, no upstream request
// left open, no leaked socket and no unhandled rejection.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../packages/simulators/src/index.js';
import { faulty, post, socketCount, startTestbed, type Testbed, tcpStates, waitFor } from '../support/gateway.js';
import { freePort } from '../support/servers.js';
import { errorMessage } from './wire-checks.js';

type Kind = 'openai' | 'anthropic' | 'gemini';
const MODEL: Record<Kind, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-sonnet-4-5',
  gemini: 'gemini-2.5-flash',
};

/** `ok`: served anyway. codes: a clear error before any byte, with one of these `error.code`s (ErrorClass or the
 * provider's own code; never a transport code). `committed`: a stream may also have started: then 200 and a terminal
 * error event. */
type Expect = 'ok' | { codes: string[]; committed?: boolean };
interface FaultCase {
  fault: Scenario['fault'];
  json: Expect;
  stream: Expect;
  /** Provider timeouts for this fault, when the short suite-wide ones (which make `hang` quick) do not fit it. */
  timeouts?: { firstByteMs?: number; totalMs?: number };
}

const RATE = ['rate_limited', 'rate_limit_exceeded', 'rate_limit_error', 'RESOURCE_EXHAUSTED'];
const TIMEOUT = ['timeout'];
const CONN = ['connection'];
const BAD = ['invalid_response', 'stream_interrupted'];
const FIVE = ['upstream_5xx', 'server_error', 'overloaded', 'overloaded_error', 'api_error', 'UNAVAILABLE'];
const FAULTS: Record<string, FaultCase> = {
  reset_before_headers: { fault: { kind: 'reset_before_headers' }, json: { codes: CONN }, stream: { codes: CONN } },
  reset_mid_stream: {
    fault: { kind: 'reset_mid_stream', afterChunks: 3 },
    json: { codes: [...CONN, ...BAD] },
    stream: { codes: [...CONN, ...BAD], committed: true },
  },
  malformed_sse: {
    fault: { kind: 'malformed_sse', afterChunks: 3 },
    json: { codes: BAD },
    stream: { codes: BAD, committed: true },
  },
  truncated_json: { fault: { kind: 'malformed_json' }, json: { codes: BAD }, stream: 'ok' },
  html_error_page: { fault: { kind: 'html_error' }, json: { codes: FIVE }, stream: { codes: FIVE } },
  html_with_200: { fault: { kind: 'html_error', status: 200 }, json: { codes: BAD }, stream: { codes: BAD } },
  stream_error_event: {
    fault: { kind: 'stream_error_event', afterChunks: 3 },
    json: 'ok',
    stream: { codes: FIVE, committed: true },
  },
  hang: { fault: { kind: 'hang' }, json: { codes: TIMEOUT }, stream: { codes: TIMEOUT } },
  rate_limited: {
    fault: { kind: 'status', status: 429, retryAfterSeconds: 1 },
    json: { codes: RATE },
    stream: { codes: RATE },
  },
  // A body that arrives one byte at a time is still served. Its pace is at the mercy of the box's timers (1 ms per
  // byte became 2-5 ms on a busy 2-core box, and a JSON body counts against the first-byte timeout until it is
  // complete), so it gets room to finish: what it proves is that slow bytes are parsed, not how fast they come.
  slow_drip: {
    fault: { kind: 'slow_drip', byteDelayMs: 1 },
    json: 'ok',
    stream: 'ok',
    timeouts: { firstByteMs: 60_000, totalMs: 90_000 },
  },
};

const timeouts = { connectMs: 1_000, firstByteMs: 1_200, totalMs: 8_000 };
const one = { maxAttempts: 1 };
let bed: Testbed;
let key = '';
let keyId = '';
let baseline = { gatewaySockets: 0 };
const seen: string[] = [];
/** Ports of every upstream (simulators and the dead one), which must never reach a client. */
const upstreamPorts: string[] = [];

beforeAll(async () => {
  const dead = await freePort(); // nothing listens here: connection refused
  bed = await startTestbed({
    timeouts,
    providers: (sims, k) => {
      const out: Record<string, unknown> = {
        refused: { kind: 'openai', apiKey: k, baseURL: `http://127.0.0.1:${dead}/v1` },
      };
      for (const kind of Object.keys(MODEL) as Kind[]) {
        for (const [name, c] of Object.entries(FAULTS))
          out[`${kind}-${name}`] = {
            ...faulty(sims, kind, k, { fault: c.fault }),
            ...(c.timeouts && { timeouts: c.timeouts }),
          };
      }
      return out;
    },
    routes: Object.fromEntries(
      (Object.keys(MODEL) as Kind[]).flatMap((kind) =>
        [...Object.keys(FAULTS), 'refused'].flatMap((name) => {
          const p = name === 'refused' ? 'refused' : `${kind}-${name}`;
          const target = `${p}/${name === 'refused' ? MODEL.openai : MODEL[kind]}`;
          return [
            [`one-${kind}-${name}`, { strategy: 'single', targets: [target], retry: one }],
            [`fb-${kind}-${name}`, { strategy: 'fallback', targets: [target, 'openai/gpt-4o-mini'], retry: one }],
          ];
        }),
      ),
    ),
  });
  upstreamPorts.push(
    String(dead),
    ...[bed.sims.openai, bed.sims.anthropic, bed.sims.gemini].map((s) => new URL(s.url).port),
  );
  const k = await bed.createKey({ name: 'faults', credits_usd: '100' });
  key = k.key;
  keyId = k.id;
  for (const kind of Object.keys(MODEL) as Kind[]) await chat(`${kind}/${MODEL[kind]}`, false);
  baseline = { gatewaySockets: socketCount(bed.gw.pid) };
}, 120_000);

afterAll(async () => {
  console.log(`[upstream-faults] ${seen.length} faulted requests: ${[...new Set(seen)].sort().join(', ')}`);
  await bed?.close();
});

function chat(model: string, stream: boolean, ms = 20_000) {
  return post(
    `${bed.gw.url}/v1/chat/completions`,
    {
      model,
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      max_tokens: 40,
      ...(stream && { stream: true, stream_options: { include_usage: true } }),
    },
    { authorization: `Bearer ${key}` },
    ms,
  );
}

/** SSE data payloads of an OpenAI stream. */
const events = (text: string) =>
  text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));

const REFUSED: FaultCase = { fault: undefined, json: { codes: CONN }, stream: { codes: CONN } };

describe.each(Object.keys(MODEL) as Kind[])('%s upstream', (kind) => {
  const cases = Object.entries(FAULTS).concat(kind === 'openai' ? [['refused', REFUSED]] : []);
  for (const [name, c] of cases) {
    for (const stream of [false, true]) {
      const expected = stream ? c.stream : c.json;
      const mode = stream ? 'stream' : 'json';
      // A case with its own (longer) timeouts gets a client wait and a test budget to match.
      const clientMs = c.timeouts?.totalMs ?? 20_000;
      it(
        `${name}, ${mode}: ${expected === 'ok' ? 'served' : 'clear error'}, and a fallback route serves`,
        async () => {
          const r = await chat(`one-${kind}-${name}`, stream, clientMs);
          seen.push(`${kind}/${name}/${mode}→${r.status}${r.json?.error ? ` ${r.json.error.code}` : ''}`);
          // Errors name the provider id, never the upstream's address (internal topology).
          expect(r.text).not.toMatch(/127\.0\.0\.1|localhost/);
          for (const port of upstreamPorts) expect(r.text).not.toContain(`:${port}`);
          if (expected === 'ok') {
            expect(r.status, r.text).toBe(200);
          } else if (r.status === 200 && stream && expected.committed) {
            const last = JSON.parse(events(r.text).at(-1) ?? '{}');
            expect(last.error?.message, r.text.slice(-400)).toBeTruthy();
            expect(expected.codes, r.text.slice(-400)).toContain(last.error.code);
            expect(r.text).not.toContain('[DONE]');
          } else {
            expect(r.status, r.text).toBeGreaterThanOrEqual(400);
            errorMessage(r, 'openai', name);
            expect(expected.codes, r.text).toContain(r.json.error.code);
            if (name === 'rate_limited') expect(r.headers.get('retry-after')).toBeTruthy();
          }
          // A fault before the first byte falls back; one after it cannot (the client already has bytes).
          const fb = await chat(`fb-${kind}-${name}`, stream, clientMs);
          expect(fb.status, fb.text).toBe(200);
          if (expected !== 'ok' && !(stream && expected.committed)) {
            expect(fb.headers.get('x-switchyard-provider')).toBe('openai');
          }
        },
        10_000 + 2 * clientMs,
      );
    }
  }
});

describe('429 storm', () => {
  it('50 concurrent requests to a rate-limited target: clear 429/503s, and a fallback route serves them all', async () => {
    const single = await Promise.all(Array.from({ length: 50 }, () => chat('one-openai-rate_limited', false)));
    for (const r of single) {
      expect([429, 503], r.text).toContain(r.status);
      errorMessage(r, 'openai', 'storm');
    }
    const fb = await Promise.all(Array.from({ length: 50 }, (_, i) => chat('fb-anthropic-rate_limited', i % 2 === 0)));
    expect(fb.map((r) => r.status)).toEqual(fb.map(() => 200));
  }, 60_000);
});

describe('afterwards', () => {
  it('no stuck reservation, no upstream call left open, no leaked socket, no unhandled rejection', async () => {
    await waitFor(async () => Number(await bed.reservedUsd(keyId)) === 0, 10_000, 'reserved_usd back to 0');
    expect(await bed.reservedUsd(keyId)).toMatch(/^0(\.0+)?$/);
    for (const s of [bed.sims.openai, bed.sims.anthropic, bed.sims.gemini]) {
      await waitFor(() => s.stats.inFlight === 0, 10_000, `${s.provider} in-flight 0`);
    }
    // A leaked socket sits in CLOSE_WAIT (the peer closed, the gateway never did). Pooled keep-alive sockets
    // may stay open: bounded by the storm's concurrency, not by the number of faulted requests.
    await waitFor(() => (tcpStates(bed.gw.pid).CLOSE_WAIT ?? 0) === 0, 10_000, 'no CLOSE_WAIT socket');
    const sockets = socketCount(bed.gw.pid);
    const upstream = [bed.sims.openai, bed.sims.anthropic, bed.sims.gemini].reduce(
      (n, s) => n + s.stats.openConnections,
      0,
    );
    console.log(`[upstream-faults] gateway sockets ${baseline.gatewaySockets} → ${sockets}; upstream ${upstream}`);
    // Every gateway socket is the listener, a client connection (≤ the storm's 100) or an upstream one that the
    // simulators also count; upstream pools are bounded by concurrency, not by the number of faults.
    expect(upstream).toBeLessThanOrEqual(110);
    expect(sockets).toBeLessThanOrEqual(1 + upstream + 105);
    expect(bed.gw.alive()).toBe(true);
    expect(bed.gw.stderr() + bed.gw.stdout()).not.toMatch(/unhandledRejection|uncaughtException/i);
    const v = await bed.ledgerVerify();
    expect(v.code, v.output).toBe(0);
  }, 90_000);
});
