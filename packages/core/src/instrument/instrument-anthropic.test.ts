import Anthropic from '@anthropic-ai/sdk';
import { type Simulator, startSimulator } from '@switchyard/simulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { costOf, harness, waitFor } from '../test-support/harness.js';
import { instrument } from './instrument.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ provider: 'anthropic', port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const scenario = (s: object) => ({ headers: { 'x-sim-scenario': JSON.stringify(s) } });
const params = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Hello from the test' }],
};
const CACHED = { outputTokens: 10, cachedTokens: 5, cacheWriteTokens: 7 };

function setup(extra = {}) {
  const h = harness(extra);
  const bare = new Anthropic({ apiKey: 'sk-ant-test', baseURL: sim.url, maxRetries: 0 });
  return { ...h, bare, client: instrument(bare, h.options) };
}

describe('instrument(anthropic) against the simulator', () => {
  beforeEach(() => sim.reset());

  it('messages.create non-stream: input includes cache reads and writes; exact cost', async () => {
    const { client, records, exporter } = setup();
    const res = await client.messages.create(params, scenario(CACHED));
    await waitFor(records, 1);
    const u = res.usage;
    expect(records[0]).toMatchObject({
      provider: 'anthropic',
      operation: 'chat',
      outcome: 'ok',
      responseId: res.id,
      finishReasons: ['end_turn'],
    });
    expect(records[0]?.usage).toEqual({
      inputTokens: u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0),
      outputTokens: u.output_tokens,
      cacheReadTokens: u.cache_read_input_tokens,
      cacheWriteTokens: u.cache_creation_input_tokens,
      reasoningTokens: 0,
      source: 'provider',
    });
    expect(records[0]?.cost?.totalNanos).toBe(costOf('claude-sonnet-4-5', records[0]?.usage as never));
    expect(records[0]?.requestId).toBeTruthy();
    expect(u.cache_read_input_tokens).toBeGreaterThan(0);
    expect(exporter.getFinishedSpans()[0]?.attributes['gen_ai.usage.cache_creation.input_tokens']).toBe(
      u.cache_creation_input_tokens,
    );
  });

  it('create({stream:true}) and messages.stream() cost the same as non-stream', async () => {
    const { client, records } = setup();
    await client.messages.create(params, scenario(CACHED));
    const events: string[] = [];
    for await (const ev of await client.messages.create({ ...params, stream: true }, scenario(CACHED)))
      events.push(ev.type);
    expect(events[0]).toBe('message_start');
    expect(events.at(-1)).toBe('message_stop');
    const final = await client.messages.stream(params, scenario(CACHED)).finalMessage();
    expect(final.role).toBe('assistant');
    await waitFor(records, 3);
    const [a, b, c] = records;
    expect(b?.streaming).toBe(true);
    expect(c?.streaming).toBe(true);
    expect(b?.usage).toEqual(a?.usage);
    expect(c?.usage).toEqual(a?.usage);
    expect(b?.cost).toEqual(a?.cost);
    expect(c?.cost).toEqual(a?.cost);
    expect(b?.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(c?.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('overloaded 529 → OverloadedError-like APIError untouched, class overloaded', async () => {
    const { client, records } = setup();
    const err = await client.messages.create(params, { headers: { 'x-sim-scenario': 'overloaded' } }).catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.status).toBe(529);
    await waitFor(records, 1);
    expect(records[0]?.error).toMatchObject({
      errorClass: 'overloaded',
      status: 529,
      providerCode: 'overloaded_error',
    });
  });

  it('in-stream error event after 200 fails the record', async () => {
    const { client, records } = setup();
    const stream = await client.messages.create(
      { ...params, stream: true },
      { headers: { 'x-sim-scenario': 'stream_error_event' } },
    );
    await expect(async () => {
      for await (const _ of stream) {
      }
    }).rejects.toThrow();
    await waitFor(records, 1);
    expect(records[0]?.outcome).toBe('error');
    expect(records[0]?.error?.errorClass).toBe('overloaded');
  });

  it('messages.stream(): abort and errors end the record', async () => {
    const { client, records } = setup();
    const ms = client.messages.stream(params, scenario({ outputTokens: 30, chunkDelayMs: 5 }));
    ms.on('text', () => ms.abort());
    await ms.done().catch(() => {});
    const failing = client.messages.stream(params, { headers: { 'x-sim-scenario': 'rate_limited' } });
    await expect(failing.finalMessage()).rejects.toThrow(Anthropic.RateLimitError);
    await waitFor(records, 2);
    expect(records.map((r) => r.error?.errorClass)).toEqual(['cancelled', 'rate_limited']);
  });

  it('break out of a stream: cancelled', async () => {
    const { client, records } = setup();
    for await (const _ of await client.messages.create({ ...params, stream: true }, scenario({ outputTokens: 20 })))
      break;
    await waitFor(records, 1);
    expect(records[0]?.error?.errorClass).toBe('cancelled');
  });
});
