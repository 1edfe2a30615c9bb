import Anthropic from '@anthropic-ai/sdk';
import { type Simulator, startSimulator } from '@switchyard/simulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CITY_SCHEMA, costOf, harness, waitFor } from '../test-support/harness.js';
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

// The SDK's other ways to make a Messages call — `messages.parse` (structured outputs, through `this.create`), and
// the whole `beta.messages` resource (`create`, `stream`, `parse`, `toolRunner`, `thread`) — are recorded as
// `messages.create` is: one record per request, the SDK's results unchanged.
const weatherParams = {
  model: 'claude-sonnet-4-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }],
};

describe('instrument(anthropic): parse and the beta resource are recorded', () => {
  beforeEach(() => sim.reset());

  it('messages.parse: the parsed output as without instrument(), one record with usage and cost', async () => {
    const { client, bare, records } = setup();
    const body = { ...weatherParams, output_config: { format: { type: 'json_schema' as const, schema: CITY_SCHEMA } } };
    const got = await client.messages.parse(body, scenario({ outputTokens: 12 }));
    const want = await bare.messages.parse(body, scenario({ outputTokens: 12 }));
    expect(got.parsed_output).toEqual(want.parsed_output);
    expect(got.parsed_output).toMatchObject({ city: expect.any(String) });
    await waitFor(records, 1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      provider: 'anthropic',
      operation: 'chat',
      requestModel: 'claude-sonnet-4-5',
      streaming: false,
      outcome: 'ok',
      usage: { outputTokens: got.usage.output_tokens, source: 'provider' },
    });
    expect(records[0]?.cost?.totalNanos).toBeGreaterThan(0n);
  });

  it('beta.messages.create (JSON and stream), .stream() and .parse(): one record each, the same usage', async () => {
    const { client, records } = setup();
    const json = await client.beta.messages.create(weatherParams, scenario({ outputTokens: 10 }));
    const events: string[] = [];
    for await (const ev of await client.beta.messages.create(
      { ...weatherParams, stream: true },
      scenario({ outputTokens: 10 }),
    ))
      events.push(ev.type);
    expect(events.at(-1)).toBe('message_stop');
    const final = await client.beta.messages.stream(weatherParams, scenario({ outputTokens: 10 })).finalMessage();
    expect(final.content).toEqual(json.content);
    const parsed = await client.beta.messages.parse(
      { ...weatherParams, output_format: { type: 'json_schema', schema: CITY_SCHEMA } },
      scenario({ outputTokens: 10 }),
    );
    expect(parsed.parsed_output).toMatchObject({ city: expect.any(String) });
    await waitFor(records, 4);
    expect(records.map((r) => [r.operation, r.streaming, r.outcome, r.usage?.outputTokens])).toEqual([
      ['chat', false, 'ok', 10],
      ['chat', true, 'ok', 10],
      ['chat', true, 'ok', 10],
      ['chat', false, 'ok', parsed.usage.output_tokens], // the schema's answer sets its length
    ]);
    expect(records[1]?.cost).toEqual(records[0]?.cost);
    expect(records[2]?.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('beta.messages.toolRunner: every request of the tool loop is one record', async () => {
    const { client, records } = setup();
    const calls: unknown[] = [];
    const runner = client.beta.messages.toolRunner({
      ...weatherParams,
      tools: [
        {
          name: 'get_weather',
          description: 'The weather in a city today',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
          run: (input: unknown) => {
            calls.push(input);
            return 'sunny, 21 °C';
          },
        },
      ],
    });
    const last = await runner.runUntilDone();
    expect(last.stop_reason).toBe('end_turn');
    expect(calls).toHaveLength(1);
    await waitFor(records, 2);
    expect(records.map((r) => [r.operation, r.outcome, r.finishReasons])).toEqual([
      ['chat', 'ok', ['tool_use']],
      ['chat', 'ok', ['end_turn']],
    ]);
  });

  it('beta.messages.thread: each turn sent is one record', async () => {
    const { client, records } = setup();
    const thread = client.beta.messages.thread({ model: 'claude-sonnet-4-5', max_tokens: 64 });
    const first = await thread.send({ role: 'user', content: 'Hello' });
    const second = await thread.send({ role: 'user', content: 'And again' });
    expect([first.stop_reason, second.stop_reason]).toEqual(['end_turn', 'end_turn']);
    await waitFor(records, 2);
    expect(records.map((r) => [r.requestModel, r.outcome, r.usage?.outputTokens])).toEqual([
      ['claude-sonnet-4-5', 'ok', first.usage.output_tokens],
      ['claude-sonnet-4-5', 'ok', second.usage.output_tokens],
    ]);
  });

  it('the client the helpers were built on is left as it was: the bare client records nothing', async () => {
    const { bare, records } = setup();
    await bare.messages.parse(weatherParams);
    await bare.beta.messages.create(weatherParams);
    await new Promise((r) => setTimeout(r, 50));
    expect(records).toHaveLength(0);
  });
});
