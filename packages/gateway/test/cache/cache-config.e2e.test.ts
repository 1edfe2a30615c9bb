// The cache's configuration end to end: Redis shared by two gateway instances (a hit on the other one), TTL
// expiry on both stores, the anonymous namespace of demo mode, charged hits, the entry size limit, eviction
// by size, and hot reload keeping the entries.
import { type AllSimulators, startAllSimulators } from '@switchyard/simulators';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingServers, type RunningServer, startRedis } from '../../../../test/support/servers.js';
import { listen, type RunningGateway } from '../../src/http/listen.js';
import { silentLog, simConfig, UPSTREAM_KEY } from '../helpers.js';
import { startCacheHarness } from './harness.js';

const redisMissing = missingServers().some((m) => m.startsWith('redis'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let n = 0;
const fresh = (what: string) => `${what} #${++n} ${Date.now()}`;

let sims: AllSimulators;
const gateways: RunningGateway[] = [];
beforeAll(async () => {
  sims = await startAllSimulators({ apiKey: UPSTREAM_KEY });
});
afterAll(async () => {
  for (const gw of gateways) await gw.close(2_000);
  await sims.close();
});

async function gateway(cache: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const gw = await listen(simConfig(sims, { cache, ...extra }), { log: silentLog });
  gateways.push(gw);
  return { gw, client: new OpenAI({ apiKey: 'any-string', baseURL: `${gw.url}/v1`, maxRetries: 0 }) };
}

const chat = (content: string, over: Record<string, unknown> = {}) => ({
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user' as const, content }],
  max_tokens: 32,
  ...over,
});
const cacheOf = async (client: OpenAI, body: ReturnType<typeof chat>) =>
  (await client.chat.completions.create(body).withResponse()).response.headers.get('x-switchyard-cache');

/** Polls (bounded) until the entry is gone; returns the last result. */
async function untilMiss(client: OpenAI, body: ReturnType<typeof chat>): Promise<string | null> {
  let result: string | null = 'hit';
  for (let i = 0; i < 100 && result === 'hit'; i++) {
    await sleep(100);
    result = await cacheOf(client, { ...body });
  }
  return result;
}

describe.skipIf(redisMissing)('Redis store', () => {
  let redis: RunningServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two instances share entries: a miss on one is a hit on the other (stream replay included)', async () => {
    const a = await gateway({ mode: 'all', store: redis.url });
    const b = await gateway({ mode: 'all', store: redis.url });
    const body = chat(fresh('shared'));
    expect(await cacheOf(a.client, body)).toBe('miss');
    // The write is off the response path: poll (bounded) for it to land.
    let result: string | null = 'miss';
    for (let i = 0; i < 50 && result !== 'hit'; i++) {
      result = await cacheOf(b.client, body);
      if (result !== 'hit') await sleep(50);
    }
    expect(result).toBe('hit');
    const calls = sims.openai.stats.requests;
    const streamed = await b.client.chat.completions.stream(body).finalChatCompletion();
    expect(streamed.choices[0]?.message.content).toBeTruthy();
    expect(sims.openai.stats.requests).toBe(calls);
  });

  it('TTL: an entry expires (Redis PX), per-route override', async () => {
    const { client } = await gateway(
      { mode: 'all', store: redis.url },
      { routes: { brief: { targets: ['openai/gpt-4o-mini'], cache: { ttlSeconds: 1 } } } },
    );
    const body = chat(fresh('ttl'), { model: 'brief' });
    expect(await cacheOf(client, body)).toBe('miss');
    for (let i = 0; i < 20 && (await cacheOf(client, body)) !== 'hit'; i++) await sleep(50);
    expect(await untilMiss(client, body)).toBe('miss');
  });
});

describe('memory store', () => {
  it('TTL: an entry expires', async () => {
    const { client } = await gateway({ mode: 'all', ttlSeconds: 1 });
    const body = chat(fresh('ttl-mem'));
    expect(await cacheOf(client, body)).toBe('miss');
    expect(await cacheOf(client, body)).toBe('hit');
    expect(await untilMiss(client, body)).toBe('miss');
  });

  it('without keys (demo mode) every caller is one tenant', async () => {
    const { gw } = await gateway({ mode: 'all' });
    const body = chat(fresh('anon'));
    const one = new OpenAI({ apiKey: 'anything', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const two = new OpenAI({ apiKey: 'something-else', baseURL: `${gw.url}/v1`, maxRetries: 0 });
    expect(await cacheOf(one, body)).toBe('miss');
    expect(await cacheOf(two, body)).toBe('hit');
  });

  it('an answer larger than maxEntryBytes is not stored', async () => {
    const { client } = await gateway({ mode: 'all', maxEntryBytes: 256 });
    const body = chat(fresh('big'));
    expect(await cacheOf(client, body)).toBe('miss');
    expect(await cacheOf(client, body)).toBe('miss');
  });

  it('a full cache evicts by size, least recently used first', async () => {
    const { gw, client } = await gateway({ mode: 'all', maxBytes: 4096 });
    const bodies = Array.from({ length: 8 }, (_, i) => chat(fresh(`evict ${i}`)));
    for (const b of bodies) await cacheOf(client, b);
    const store = gw.app.switchyard.deps.cache?.store as { bytes: number } | undefined;
    expect(store?.bytes).toBeLessThanOrEqual(4096);
    expect(await cacheOf(client, bodies[0] as ReturnType<typeof chat>)).toBe('miss');
    expect(await cacheOf(client, bodies[7] as ReturnType<typeof chat>)).toBe('hit');
  });

  it('hot reload keeps the entries and applies the new policy', async () => {
    const { gw, client } = await gateway({ mode: 'all' });
    const body = chat(fresh('reload'));
    await cacheOf(client, body);
    gw.app.switchyard.reload(simConfig(sims, { cache: { mode: 'deterministic' } }));
    expect(await cacheOf(client, { ...body, temperature: 1 } as never)).toBe('bypass');
    gw.app.switchyard.reload(simConfig(sims, { cache: { mode: 'all' } }));
    expect(await cacheOf(client, body)).toBe('hit');
    gw.app.switchyard.reload(simConfig(sims, {}));
    expect(await cacheOf(client, body)).toBeNull();
  });
});

describe('charged hits', () => {
  it('chargeHits: a hit costs what the original call cost, and the ledger says so', async () => {
    const h = await startCacheHarness({ mode: 'all', chargeHits: true }, {}, sims);
    try {
      const client = new OpenAI({ apiKey: h.keys.alpha.secret, baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
      const body = chat(fresh('charged'));
      const before = await h.accounts.store.usage(h.keys.alpha.id, Date.now());
      const first = await client.chat.completions.create(body).withResponse();
      const second = await client.chat.completions.create(body).withResponse();
      expect(second.response.headers.get('x-switchyard-cache')).toBe('hit');
      const cost = first.response.headers.get('x-switchyard-cost-usd');
      expect(second.response.headers.get('x-switchyard-cost-usd')).toBe(cost);
      expect((second.data.usage as { cost?: number }).cost).toBeCloseTo(Number(cost), 9);
      const nanos = BigInt(Math.round(Number(cost) * 1e9));
      const rows = await h.ledger();
      expect(rows.at(-1)).toMatchObject({ cache_hit: 1n, cost_nanos: nanos, debit_nanos: nanos, saved_nanos: nanos });
      const after = await h.accounts.store.usage(h.keys.alpha.id, Date.now());
      expect((before.balanceNanos ?? 0n) - (after.balanceNanos ?? 0n)).toBe(2n * nanos);
    } finally {
      await h.close();
    }
  });
});
