// Clients that go away: mid-request, mid-stream (each provider kind) and mid-upload, against a spawned gateway.
// The upstream call is aborted (the simulator sees its socket close), the reservation is settled or released
// (reserved_usd back to 0), and the ledger stays consistent (`switchyard ledger verify` exits 0).
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../packages/simulators/src/index.js';
import { startTestbed, type Testbed, tcpStates, waitFor } from '../support/gateway.js';
import { pick } from './wire-checks.js';

let bed: Testbed;
let key = '';
let keyId = '';
const MODELS = {
  openai: 'openai/gpt-4o-mini',
  anthropic: 'anthropic/claude-sonnet-4-5',
  gemini: 'gemini/gemini-2.5-flash',
};
type Kind = keyof typeof MODELS;
const CONCURRENT = pick(20, 100);

beforeAll(async () => {
  bed = await startTestbed();
  ({ key, id: keyId } = await bed.createKey({ name: 'clients', credits_usd: '50' }));
}, 120_000);
afterAll(() => bed?.close());
beforeEach(() => {
  for (const s of sims()) {
    s.setScenario(undefined);
    s.reset();
  }
});

const sims = (): Simulator[] => [bed.sims.openai, bed.sims.anthropic, bed.sims.gemini];

function start(model: string, stream: boolean, path = '/v1/chat/completions') {
  const controller = new AbortController();
  const body =
    path === '/v1/messages'
      ? { model, max_tokens: 400, stream, messages: [{ role: 'user', content: 'Tell me a long story.' }] }
      : { model, max_tokens: 400, stream, messages: [{ role: 'user', content: 'Tell me a long story.' }] };
  const response = fetch(`${bed.gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  response.catch(() => {}); // aborted on purpose
  return { controller, response };
}

async function settled(): Promise<void> {
  for (const s of sims()) await waitFor(() => s.stats.inFlight === 0, 10_000, `${s.provider} in-flight 0`);
  await waitFor(async () => Number(await bed.reservedUsd(keyId)) === 0, 10_000, 'reserved_usd back to 0');
}

describe.each(Object.keys(MODELS) as Kind[])('%s upstream', (kind) => {
  const sim = () => bed.sims[kind];

  it('client gone before the answer: the upstream call is aborted, the reservation released', async () => {
    sim().setScenario({ latencyMs: 5_000 });
    const { controller } = start(MODELS[kind], false);
    await waitFor(() => sim().stats.inFlight === 1, 10_000, 'upstream call started');
    controller.abort();
    await waitFor(() => sim().stats.aborted === 1, 5_000, 'simulator saw the socket close');
    expect(sim().stats.completed).toBe(0);
    await settled();
  });

  it('client gone mid-stream: the upstream stream is aborted, the call settled or released', async () => {
    sim().setScenario({ chunkDelayMs: 40, outputTokens: 300 });
    const { controller, response } = start(MODELS[kind], true);
    const reader = (await response).body?.getReader();
    const first = await reader?.read();
    expect(first?.done).toBe(false);
    controller.abort();
    await waitFor(() => sim().stats.aborted === 1, 5_000, 'simulator saw the socket close');
    expect(sim().stats.completed).toBe(0);
    await settled();
  });
});

describe('many at once', () => {
  it(`${CONCURRENT} concurrent clients vanish mid-stream and mid-request on /v1/chat and /v1/messages`, async () => {
    // Upstream headers come after 1.5 s: a JSON call's abort (≤ 80 ms in) must reach the gateway before its answer
    // does, even on a loaded box where the gateway process waits hundreds of ms for a core (CI saw one complete at
    // 300 ms). Streams then run ~9 s (300 tokens at 30 ms).
    for (const s of sims()) s.setScenario({ chunkDelayMs: 30, outputTokens: 300, latencyMs: 1_500 });
    const streamAbortMs = [0, 150, 1_500, 1_600, 1_900]; // before headers, right after them, a few chunks in
    const kinds = Object.keys(MODELS) as Kind[];
    const calls = Array.from({ length: CONCURRENT }, (_, i) => {
      const kind = kinds[i % 3] as Kind;
      return start(MODELS[kind], i % 2 === 0, i % 4 < 2 ? '/v1/chat/completions' : '/v1/messages');
    });
    // Abort at staggered moments: JSON calls well before the upstream answers, streams at streamAbortMs.
    await Promise.all(
      calls.map(async (c, i) => {
        await new Promise((r) => setTimeout(r, i % 2 === 0 ? (streamAbortMs[i % 5] as number) : (i % 3) * 40));
        c.controller.abort();
      }),
    );
    await settled();
    // Every upstream call that started was cut short (a stream takes ~10.5 s, a JSON answer 1.5 s).
    expect(sims().reduce((n, s) => n + s.stats.completed, 0)).toBe(0);
    await waitFor(() => (tcpStates(bed.gw.pid).CLOSE_WAIT ?? 0) === 0, 10_000, 'no CLOSE_WAIT socket');
  }, 60_000);

  it('a client that dies mid-upload does not disturb the gateway', async () => {
    const { port } = new URL(bed.gw.url);
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const s = connect(Number(port), '127.0.0.1', () => {
          s.write(
            `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n` +
              `authorization: Bearer ${key}\r\ncontent-length: 100000\r\n\r\n{"model":"openai/gpt-4o-mini","mess`,
          );
          setTimeout(() => {
            s.destroy();
            resolve();
          }, 20);
        });
        s.on('error', () => resolve());
      });
    }
    const ok = await fetch(`${bed.gw.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    expect(ok.status).toBe(200);
  });
});

describe('afterwards', () => {
  it('the ledger verifies, the process is alive and logged no unhandled rejection', async () => {
    await settled();
    const v = await bed.ledgerVerify();
    expect(v.code, v.output).toBe(0);
    expect(v.output).toContain('0 mismatches');
    expect(bed.gw.alive()).toBe(true);
    expect(bed.gw.stderr() + bed.gw.stdout()).not.toMatch(/unhandledRejection|uncaughtException/i);
  }, 90_000);
});
