// Shadow traffic end to end: a real gateway (listen on loopback) in front of the simulators, route `main` served by
// the OpenAI simulator and shadowed to the Gemini simulator, whose behaviour each test steers.
import { nanosToUsdString } from '@switchyard/core';
import { type AllSimulators, startAllSimulators } from '@switchyard/simulators';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load-config.js';
import { listen, type RunningGateway } from '../../http/listen.js';
import { handleChat } from '../../pipeline/handle-chat.js';
import type { Admission, CallOutcome } from '../../pipeline/seams.js';
import { createShadowMetrics } from './shadow-metrics.js';
import { createShadowMirror, type ShadowMirror } from './shadow-mirror.js';

const KEY = 'sk-sim';
let sims: AllSimulators;
let gw: RunningGateway;
let mirror: ShadowMirror;
let sample = 1;
const registry = new Registry();
/** Every settle the client's admission ticket received: what the client is billed for. */
const settles: CallOutcome[] = [];

const admission: Admission = {
  async admit() {
    return { headers: {}, settle: (o) => settles.push(o), release() {} };
  },
};

const config = (maxUsdPerDay: string, sampleRate = 1) =>
  validateConfig({
    providers: {
      openai: { kind: 'openai', apiKey: KEY, baseURL: `${sims.openai.url}/v1` },
      gemini: { kind: 'gemini', apiKey: KEY, baseURL: sims.gemini.url },
    },
    routes: {
      main: {
        strategy: 'single',
        targets: ['openai/gpt-4o-mini'],
        shadow: { target: 'gemini/gemini-2.5-flash', sampleRate, maxUsdPerDay, maxConcurrent: 1000 },
      },
      plain: { strategy: 'single', targets: ['openai/gpt-4o-mini'] },
    },
    timeouts: { connectMs: 2_000, firstByteMs: 30_000, totalMs: 30_000 },
  });

beforeAll(async () => {
  sims = await startAllSimulators({ apiKey: KEY });
  mirror = createShadowMirror({
    random: () => (sample === 1 ? 0 : Math.random()),
    metrics: createShadowMetrics(registry),
  });
  gw = await listen(config('100'), {
    host: '127.0.0.1',
    port: 0,
    admission,
    shadow: mirror,
    log: { warn() {}, error() {} },
  });
});

afterAll(async () => {
  mirror.close();
  await gw?.close(2_000);
  await sims?.close();
});

afterEach(async () => {
  sims.gemini.setScenario({});
  await mirror.idle();
  settles.length = 0;
  sample = 1;
  gw.app.switchyard.reload(config('100'));
});

const body = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'Tell me about shadow traffic.' }],
  max_tokens: 32,
  ...extra,
});

async function post(model: string, extra: Record<string, unknown> = {}) {
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body(model, extra)),
  });
  return { res, text: await res.text() };
}

/** `created` is the simulator's wall-clock second: the one field two identical calls may differ in. */
const stable = (s: string) => s.replace(/"created":\d+/g, '"created":0');

describe('shadow traffic', () => {
  it('leaves the client response byte-identical (JSON and stream) and records the pair with a similarity', async () => {
    const before = mirror.log.list().length;
    const plain = await post('plain');
    const shadowed = await post('main');
    expect(shadowed.res.status).toBe(200);
    expect(stable(shadowed.text)).toBe(stable(plain.text));

    const plainStream = await post('plain', { stream: true });
    const shadowedStream = await post('main', { stream: true });
    expect(stable(shadowedStream.text)).toBe(stable(plainStream.text));
    expect(shadowedStream.text).toContain('data: [DONE]');

    await mirror.idle();
    const pairs = mirror.log.list().slice(before);
    expect(pairs.map((p) => p.streamed)).toEqual([false, true]);
    for (const p of pairs) {
      expect(p.primary.target).toBe('openai/gpt-4o-mini');
      expect(p.shadow).toMatchObject({ target: 'gemini/gemini-2.5-flash', ok: true });
      expect(p.shadow.costNanos).toBeGreaterThan(0n);
      expect(p.similarity?.score).toBeGreaterThanOrEqual(0);
      expect(p.similarity?.score).toBeLessThan(1); // two different simulators answer with different words
    }
    const text = await registry.metrics();
    expect(text).toContain(
      'switchyard_shadow_requests_total{route="main",target="gemini/gemini-2.5-flash",outcome="ok"} 2',
    );
    expect(text).toMatch(
      /switchyard_shadow_similarity_count\{route="main",target="gemini\/gemini-2.5-flash",kind="text"\} 2/,
    );
    expect(text).toMatch(/switchyard_shadow_cost_usd_total\{route="main",target="gemini\/gemini-2.5-flash"\} 0\.\d+/);
  });

  it('bills the client only for the primary: one settle, primary records only, cost equal to the header', async () => {
    const { res } = await post('main');
    await mirror.idle();
    expect(settles).toHaveLength(1);
    const s = settles[0] as CallOutcome;
    expect(s.providerId).toBe('openai');
    expect(s.records.every((r) => r.providerId === 'openai')).toBe(true);
    expect(res.headers.get('x-switchyard-cost-usd')).toBe(nanosToUsdString(s.cost?.totalNanos ?? -1n));
    const last = mirror.log.list().at(-1);
    expect(last?.shadow.costNanos).toBeGreaterThan(0n);
    expect(s.cost?.totalNanos).toBe(last?.primary.costNanos);
  });

  it('answers the client while a hanging shadow call is still in flight, and records its failure later', async () => {
    sims.gemini.setScenario({ fault: { kind: 'hang' } });
    const { res } = await post('main');
    expect(res.status).toBe(200);
    // The response is complete and the shadow call has not answered: the client never waited for it.
    expect(mirror.inFlight()).toBe(1);
    mirror.close();
    await mirror.idle();
    const last = mirror.log.list().at(-1);
    expect(last?.shadow.ok).toBe(false);
    expect(last?.similarity).toBeUndefined();
  });

  it('keeps a failing shadow invisible: the client gets 200 and the usual body', async () => {
    sims.gemini.setScenario({ fault: { status: 500 } });
    const plain = await post('plain');
    const shadowed = await post('main');
    expect(shadowed.res.status).toBe(200);
    expect(stable(shadowed.text)).toBe(stable(plain.text));
    await mirror.idle();
    const last = mirror.log.list().at(-1);
    expect(last?.shadow).toMatchObject({ ok: false });
    expect(last?.shadow.error).toBeTruthy();
    expect(last?.shadow.costNanos).toBeUndefined();
  });

  it('samples the configured share of 1,000 requests (binomial bound, 5 sigma)', async () => {
    sample = 0; // real Math.random
    gw.app.switchyard.reload(config('100', 0.3));
    const before = mirror.log.list().length;
    const deps = gw.app.switchyard.deps;
    const n = 1_000;
    let next = 0;
    const worker = async () => {
      while (next < n) {
        next++;
        const out = await handleChat({ body: body('main'), headers: {}, signal: new AbortController().signal }, deps);
        expect(out.status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await mirror.idle();
    const mirrored = mirror.log.list().length - before;
    const sd = Math.sqrt(n * 0.3 * 0.7);
    expect(mirrored).toBeGreaterThan(n * 0.3 - 5 * sd);
    expect(mirrored).toBeLessThan(n * 0.3 + 5 * sd);
  }, 120_000);

  it('never lets the day’s shadow spend pass maxUsdPerDay: reservations refuse, drops are counted', async () => {
    // The actual cost of one shadow call (the gateway's own prices) sets a cap of 40 calls; each call reserves its
    // bound (estimated input + 32 output tokens), well above its actual cost, so reservations refuse before 60.
    const local = createShadowMirror({ random: () => 0 });
    const deps = { ...gw.app.switchyard.deps, shadow: local };
    const probe = await handleChat({ body: body('main'), headers: {}, signal: new AbortController().signal }, deps);
    expect(probe.status).toBe(200);
    await local.idle();
    const oneCall = local.log.list()[0]?.shadow.costNanos ?? 0n;
    expect(oneCall).toBeGreaterThan(0n);
    const capNanos = oneCall * 40n;
    const capUsd = (Number(capNanos) / 1e9).toFixed(9);
    const capped = createShadowMirror({ random: () => 0 });
    const cdeps = { ...gw.app.switchyard.deps, config: config(capUsd), shadow: capped };
    for (let i = 0; i < 60; i++) {
      await handleChat({ body: body('main'), headers: {}, signal: new AbortController().signal }, cdeps);
      const day = capped.budget.view()[0];
      if (day) expect(day.spentNanos + day.reservedNanos).toBeLessThanOrEqual(day.capNanos);
    }
    await capped.idle();
    const day = capped.budget.view()[0];
    expect(day?.spentNanos).toBeGreaterThan(0n);
    expect(day?.spentNanos).toBeLessThanOrEqual(capNanos);
    expect(capped.drops.get('main budget')).toBeGreaterThan(0);
    const spent = capped.log.list().reduce((s, p) => s + (p.shadow.costNanos ?? 0n), 0n);
    expect(spent).toBe(day?.spentNanos);
  }, 60_000);
});
