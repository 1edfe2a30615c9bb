// The response cache on /v1/chat/completions and /v1/embeddings, driven by the official OpenAI SDK: hits and
// misses, streams stored and replayed both ways, the client's controls, errors and cut streams never stored,
// tenants apart, concurrent misses, the ledger and the metrics.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSims } from '../helpers.js';
import { type CacheHarness, sample, startCacheHarness } from './harness.js';

let h: CacheHarness;
let alpha: OpenAI;
let beta: OpenAI;
let n = 0;
/** A prompt no other test uses, so each test starts from an empty entry. */
const fresh = (what: string) => `${what} #${++n} ${Date.now()}`;

beforeAll(async () => {
  h = await startCacheHarness(
    { mode: 'all' },
    {
      routes: {
        smart: { strategy: 'fallback', targets: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o-mini'] },
        det: { targets: ['openai/gpt-4o-mini'], cache: { mode: 'deterministic' } },
        nocache: { targets: ['openai/gpt-4o-mini'], cache: { enabled: false } },
      },
    },
  );
  alpha = new OpenAI({ apiKey: h.keys.alpha.secret, baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
  beta = new OpenAI({ apiKey: h.keys.beta.secret, baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => resetSims(h.sims));

const chat = (content: string, over: Record<string, unknown> = {}) => ({
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user' as const, content }],
  max_tokens: 32,
  ...over,
});

describe.each(['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash', 'smart'])(
  'chat via %s',
  (model) => {
    it('JSON: a miss goes upstream, the same body again is a free hit with the same answer', async () => {
      const body = chat(fresh('hello'), { model });
      const first = await alpha.chat.completions.create(body).withResponse();
      expect(first.response.headers.get('x-switchyard-cache')).toBe('miss');
      const calls = h.upstreamCalls();
      const second = await alpha.chat.completions.create(body).withResponse();
      expect(h.upstreamCalls()).toBe(calls);
      expect(second.response.headers.get('x-switchyard-cache')).toBe('hit');
      expect(Number(second.response.headers.get('age'))).toBeGreaterThanOrEqual(0);
      expect(second.response.headers.get('x-switchyard-cost-usd')).toBe('0.000000000');
      expect(Number(second.response.headers.get('x-switchyard-cost-saved-usd'))).toBeCloseTo(
        Number(first.response.headers.get('x-switchyard-cost-usd')),
        9,
      );
      expect(second.response.headers.get('x-switchyard-provider')).toBe(
        first.response.headers.get('x-switchyard-provider'),
      );
      expect(second.data.choices).toEqual(first.data.choices);
      expect(second.data.usage?.completion_tokens).toBe(first.data.usage?.completion_tokens);
      expect((second.data.usage as { cost?: number }).cost).toBe(0);
    });

    it('a completed stream is stored and replays as a stream (with the usage chunk) and as JSON', async () => {
      const body = chat(fresh('story'), { model, stream_options: { include_usage: true } });
      const live = await alpha.chat.completions.stream(body).finalChatCompletion();
      const calls = h.upstreamCalls();
      const replay = alpha.chat.completions.stream(body);
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const c of replay) chunks.push(c);
      const replayed = await replay.finalChatCompletion();
      expect(h.upstreamCalls()).toBe(calls);
      expect(replayed.choices[0]?.message.content).toBe(live.choices[0]?.message.content);
      expect(replayed.choices[0]?.finish_reason).toBe(live.choices[0]?.finish_reason);
      const usageChunk = chunks.at(-1);
      expect(usageChunk?.choices).toEqual([]);
      expect(usageChunk?.usage?.completion_tokens).toBe(live.usage?.completion_tokens);
      // The non-stream request shares the entry.
      const { data, response } = await alpha.chat.completions
        .create({ ...body, stream: false, stream_options: undefined })
        .withResponse();
      expect(response.headers.get('x-switchyard-cache')).toBe('hit');
      expect(data.choices[0]?.message.content).toBe(live.choices[0]?.message.content);
      expect(h.upstreamCalls()).toBe(calls);
    });
  },
);

describe('stream replay details', () => {
  it('a JSON answer replays as a stream without the usage chunk when the client did not ask for it', async () => {
    const body = chat(fresh('json then stream'));
    const json = await alpha.chat.completions.create(body);
    const res = await fetch(`${h.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.keys.alpha.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, stream: true }),
    });
    expect(res.headers.get('x-switchyard-cache')).toBe('hit');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)) as OpenAI.ChatCompletionChunk);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.usage == null)).toBe(true);
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe(json.choices[0]?.message.content);
  });

  it('tool calls survive the round trip: streamed, stored, replayed as JSON and as a stream', async () => {
    const body = chat(fresh('weather in Paris'), {
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const live = await alpha.chat.completions.stream(body).finalChatCompletion();
    const call = live.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    const calls = h.upstreamCalls();
    const json = await alpha.chat.completions.create(body);
    expect(json.choices[0]?.message.tool_calls).toEqual(live.choices[0]?.message.tool_calls);
    const replayed = await alpha.chat.completions.stream(body).finalChatCompletion();
    expect(replayed.choices[0]?.message.tool_calls).toEqual(live.choices[0]?.message.tool_calls);
    expect(replayed.choices[0]?.finish_reason).toBe('tool_calls');
    expect(h.upstreamCalls()).toBe(calls);
  });

  it('a stream cut mid-way is never stored', async () => {
    const body = { ...chat(fresh('cut')), stream: true as const };
    h.sims.openai.setScenario({ fault: { kind: 'reset_mid_stream', afterChunks: 2 } });
    await expect(
      (async () => {
        for await (const _ of await alpha.chat.completions.create(body)) {
          // drain
        }
      })(),
    ).rejects.toThrow();
    h.sims.openai.setScenario(undefined);
    const { response } = await alpha.chat.completions.create({ ...body, stream: false }).withResponse();
    expect(response.headers.get('x-switchyard-cache')).toBe('miss');
  });

  it('an error is never stored', async () => {
    const body = chat(fresh('error'));
    h.sims.openai.setScenario({ fault: { kind: 'status', status: 500 } });
    await expect(alpha.chat.completions.create(body)).rejects.toThrow();
    h.sims.openai.setScenario(undefined);
    const { response } = await alpha.chat.completions.create(body).withResponse();
    expect(response.headers.get('x-switchyard-cache')).toBe('miss');
  });
});

describe('request controls', () => {
  const send = (body: object, headers: Record<string, string>) =>
    alpha.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming, { headers }).withResponse();

  it('x-switchyard-cache: bypass neither reads nor writes', async () => {
    const body = chat(fresh('bypass'));
    await send(body, {});
    const calls = h.upstreamCalls();
    const r = await send(body, { 'x-switchyard-cache': 'bypass' });
    expect(r.response.headers.get('x-switchyard-cache')).toBe('bypass');
    expect(h.upstreamCalls()).toBe(calls + 1);
    const other = chat(fresh('bypass-write'));
    await send(other, { 'x-switchyard-cache': 'bypass' });
    expect((await send(other, {})).response.headers.get('x-switchyard-cache')).toBe('miss');
  });

  it.each([
    ['x-switchyard-cache', 'refresh'],
    ['cache-control', 'no-cache'],
  ])('%s: %s goes upstream and stores the fresh answer', async (name, value) => {
    const body = chat(fresh(`refresh ${value}`));
    await send(body, {});
    const calls = h.upstreamCalls();
    const r = await send(body, { [name]: value });
    expect(r.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(h.upstreamCalls()).toBe(calls + 1);
    const after = await send(body, {});
    expect(after.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(after.data.id).toBe(r.data.id); // the refreshed answer replaced the old one
  });

  it('cache-control: no-store answers from the cache but never stores', async () => {
    const body = chat(fresh('no-store'));
    await send(body, { 'cache-control': 'no-store' });
    expect((await send(body, {})).response.headers.get('x-switchyard-cache')).toBe('miss');
    expect((await send(body, { 'cache-control': 'no-store' })).response.headers.get('x-switchyard-cache')).toBe('hit');
  });

  it('stream, stream_options, user and metadata do not split entries; other fields do', async () => {
    const body = chat(fresh('fields'));
    await send(body, {});
    expect((await send({ ...body, user: 'end-user-7' }, {})).response.headers.get('x-switchyard-cache')).toBe('hit');
    expect((await send({ ...body, max_tokens: 33 }, {})).response.headers.get('x-switchyard-cache')).toBe('miss');
    const reordered = { max_tokens: body.max_tokens, messages: body.messages, model: body.model };
    expect((await send(reordered, {})).response.headers.get('x-switchyard-cache')).toBe('hit');
  });

  it('deterministic mode (route override) caches temperature 0 or a seed, bypasses the rest', async () => {
    const body = chat(fresh('det'), { model: 'det' });
    expect((await send({ ...body, temperature: 1 }, {})).response.headers.get('x-switchyard-cache')).toBe('bypass');
    expect((await send({ ...body, temperature: 0 }, {})).response.headers.get('x-switchyard-cache')).toBe('miss');
    expect((await send({ ...body, temperature: 0 }, {})).response.headers.get('x-switchyard-cache')).toBe('hit');
    expect((await send({ ...body, seed: 7 }, {})).response.headers.get('x-switchyard-cache')).toBe('miss');
    expect((await send({ ...body, seed: 7 }, {})).response.headers.get('x-switchyard-cache')).toBe('hit');
  });

  it('a route with the cache disabled never says anything about it', async () => {
    const body = chat(fresh('off'), { model: 'nocache' });
    await send(body, {});
    const r = await send(body, {});
    expect(r.response.headers.get('x-switchyard-cache')).toBeNull();
  });
});

describe('tenants, concurrency, money, metrics', () => {
  it('two tenants with the same body never see each other’s entry', async () => {
    const body = chat(fresh('tenant'));
    const a = await alpha.chat.completions.create(body).withResponse();
    const b = await beta.chat.completions.create(body).withResponse();
    expect(a.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(b.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect((await beta.chat.completions.create(body).withResponse()).response.headers.get('x-switchyard-cache')).toBe(
      'hit',
    );
  });

  it('no key, wrong key: refused before the cache is consulted', async () => {
    const body = chat(fresh('auth'));
    await alpha.chat.completions.create(body);
    const anon = new OpenAI({ apiKey: 'sk-sy-not-a-key', baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
    await expect(anon.chat.completions.create(body)).rejects.toMatchObject({ status: 401 });
  });

  it('concurrent identical misses all succeed and leave one valid entry', async () => {
    const body = chat(fresh('herd'), { stream_options: { include_usage: true } });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 ? alpha.chat.completions.create(body) : alpha.chat.completions.stream(body).finalChatCompletion(),
      ),
    );
    const contents = new Set(results.map((r) => r.choices[0]?.message.content));
    const hit = await alpha.chat.completions.create(body).withResponse();
    expect(hit.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(contents).toContain(hit.data.choices[0]?.message.content);
  });

  it('ledger: the hit is a row with cost 0, the saved cost and no tokens; credits move once', async () => {
    const body = chat(fresh('ledger'));
    const before = await h.accounts.store.usage(h.keys.alpha.id, Date.now());
    const first = await alpha.chat.completions.create(body).withResponse();
    const second = await alpha.chat.completions.create(body).withResponse();
    const cost = BigInt(Math.round(Number(first.response.headers.get('x-switchyard-cost-usd')) * 1e9));
    const rows = await h.ledger();
    const ids = [first.response.headers.get('x-request-id'), second.response.headers.get('x-request-id')];
    const [miss, hit] = ids.map((id) => rows.find((r) => (r as unknown as { request_id: string }).request_id === id));
    expect(miss).toMatchObject({ cache_hit: 0n, saved_nanos: 0n, cost_nanos: cost, attempts: 1n });
    expect(hit).toMatchObject({
      cache_hit: 1n,
      saved_nanos: cost,
      cost_nanos: 0n,
      debit_nanos: 0n,
      input_tokens: 0n,
      attempts: 0n, // no upstream call
    });
    expect(hit?.provider).toBe('openai');
    const after = await h.accounts.store.usage(h.keys.alpha.id, Date.now());
    expect((before.balanceNanos ?? 0n) - (after.balanceNanos ?? 0n)).toBe(cost);
  });

  it('metrics: hits, misses and bypasses counted; saved USD grows by the hit’s saved cost', async () => {
    const body = chat(fresh('metrics'), { model: 'det', temperature: 0 });
    const m0 = await h.metrics();
    const labels = { route: 'det', endpoint: 'chat' };
    const hits0 = sample(m0, 'switchyard_cache_requests_total', { ...labels, result: 'hit' }) ?? 0;
    const saved0 = sample(m0, 'switchyard_cost_saved_usd_total', labels) ?? 0;
    const first = await alpha.chat.completions.create(body).withResponse();
    await alpha.chat.completions.create(body);
    await alpha.chat.completions.create(body, { headers: { 'x-switchyard-cache': 'bypass' } });
    const m1 = await h.metrics();
    expect(sample(m1, 'switchyard_cache_requests_total', { ...labels, result: 'hit' })).toBe(hits0 + 1);
    expect(sample(m1, 'switchyard_cache_requests_total', { ...labels, result: 'miss' })).toBeGreaterThan(0);
    expect(sample(m1, 'switchyard_cache_requests_total', { ...labels, result: 'bypass' })).toBeGreaterThan(0);
    const saved1 = sample(m1, 'switchyard_cost_saved_usd_total', labels) ?? 0;
    expect(saved1 - saved0).toBeCloseTo(Number(first.response.headers.get('x-switchyard-cost-usd')), 9);
  });

  it('embeddings: hit with usage.cost 0', async () => {
    const body = { model: 'openai/text-embedding-3-small', input: [fresh('embed'), 'two'] };
    const first = await alpha.embeddings.create(body).withResponse();
    const second = await alpha.embeddings.create(body).withResponse();
    expect(first.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(second.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(second.data.data).toEqual(first.data.data);
    expect((second.data.usage as { cost?: number }).cost).toBe(0);
  });
});
