// The official @anthropic-ai/sdk (1.14) against the Anthropic simulator.
import Anthropic, {
  APIConnectionError,
  APIError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../server.js';
import { countInputTokens, textTokens, toolCallTokens } from '../tokens.js';
import type { Scenario, Simulator } from '../types.js';
import { anthropicInputTokens } from './anthropic-usage.js';

let sim: Simulator;
let client: Anthropic;
const scenario = (s: Scenario | string) => ({
  headers: { 'x-sim-scenario': typeof s === 'string' ? s : JSON.stringify(s) },
});
const base = {
  model: 'claude-sonnet-4-6',
  max_tokens: 256,
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'What is the weather in Paris today?' }],
};
const EXPECTED_INPUT = countInputTokens(['Be brief.', 'What is the weather in Paris today?']); // 20
const weatherTool = {
  name: 'get_weather',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] } },
    required: ['city'],
  },
};

beforeAll(async () => {
  sim = await startSimulator({ provider: 'anthropic' });
  client = new Anthropic({ apiKey: 'sk-ant-secret', baseURL: sim.url, maxRetries: 0 });
});
afterAll(() => sim.close());

describe('anthropic simulator: shapes', () => {
  it('SDK 1.x sends Bearer + anthropic-version; message JSON with exact usage', async () => {
    const m = await client.messages.create(base, scenario({ outputTokens: 5 }));
    expect(sim.requests.at(-1)?.headers.authorization).toBe('[redacted]');
    expect(sim.requests.at(-1)?.headers['anthropic-version']).toBeTruthy();
    expect(EXPECTED_INPUT).toBe(20);
    expect(m.id).toMatch(/^msg_01[A-Za-z0-9]{22}$/);
    expect(m.type).toBe('message');
    expect(m.stop_reason).toBe('end_turn');
    expect(m.content[0]?.type === 'text' && m.content[0].text.split(' ')).toHaveLength(5);
    expect(m.usage).toMatchObject({
      input_tokens: 20,
      output_tokens: 5,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    });
    expect(m._request_id).toMatch(/^req_011C/);
  });

  it('x-api-key (SDK 0.x style) is accepted too', async () => {
    const res = await fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify(base),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_011C/);
  });

  it('cache reads and writes are carved out of input_tokens; max_tokens → stop_reason max_tokens', async () => {
    const m = await client.messages.create(
      { ...base, max_tokens: 3 },
      scenario({ cachedTokens: 12, cacheWriteTokens: 5 }),
    );
    expect(m.usage).toMatchObject({
      input_tokens: 3,
      cache_read_input_tokens: 12,
      cache_creation_input_tokens: 5,
      output_tokens: 3,
    });
    expect(m.stop_reason).toBe('max_tokens');
  });

  it('stream: full event sequence, cumulative output_tokens, finalMessage equals the JSON answer', async () => {
    const raw = await client.messages.create({ ...base, stream: true }, scenario({ outputTokens: 6, chunks: 3 }));
    const types: string[] = [];
    for await (const e of raw) types.push(e.type);
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const final = await client.messages.stream(base, scenario({ outputTokens: 6, chunks: 3 })).finalMessage();
    const json = await client.messages.create(base, scenario({ outputTokens: 6 }));
    expect(final.content).toEqual(json.content);
    expect(final.usage.output_tokens).toBe(6);
    expect(final.usage.input_tokens).toBe(20);
    expect(final.id).toBe(json.id);
  });

  it('tool_use: input from the schema, input_json_delta pieces reassembled by finalMessage()', async () => {
    const body = { ...base, tools: [weatherTool] };
    const json = await client.messages.create(body);
    const block = json.content.find((b) => b.type === 'tool_use');
    if (block?.type !== 'tool_use') throw new Error('expected tool_use');
    expect(block.id).toMatch(/^toolu_01/);
    expect(block.input).toMatchObject({ city: expect.any(String) });
    expect(['c', 'f']).toContain((block.input as { unit: string }).unit);
    expect(json.stop_reason).toBe('tool_use');
    expect(json.usage.input_tokens).toBe(anthropicInputTokens(body));
    expect(json.usage.input_tokens).toBe(EXPECTED_INPUT + textTokens(JSON.stringify([weatherTool])));
    expect(json.usage.output_tokens).toBe(toolCallTokens('get_weather', JSON.stringify(block.input)));
    let jsonDeltas = 0;
    const stream = client.messages.stream(body, scenario({ chunks: 4 }));
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') jsonDeltas++;
    });
    const final = await stream.finalMessage();
    expect(jsonDeltas).toBe(5); // an empty first fragment, as the real API sends, then 4 pieces
    expect(final.content).toEqual(json.content);
  });

  it('tool_choice none → text; tool → that tool; parallel via scenario unless disabled', async () => {
    const other = { name: 'get_time', input_schema: { type: 'object' as const, properties: {} } };
    const none = await client.messages.create({ ...base, tools: [weatherTool], tool_choice: { type: 'none' } });
    expect(none.content.map((b) => b.type)).toEqual(['text']);
    const forced = await client.messages.create({
      ...base,
      tools: [weatherTool, other],
      tool_choice: { type: 'tool', name: 'get_time' },
    });
    expect(forced.content.find((b) => b.type === 'tool_use')).toMatchObject({ name: 'get_time' });
    const par = await client.messages.create(
      { ...base, tools: [weatherTool, other] },
      scenario({ parallelToolCalls: 2 }),
    );
    expect(par.content.filter((b) => b.type === 'tool_use').map((b) => (b.type === 'tool_use' ? b.name : ''))).toEqual([
      'get_weather',
      'get_time',
    ]);
    const one = await client.messages.create(
      { ...base, tools: [weatherTool, other], tool_choice: { type: 'auto', disable_parallel_tool_use: true } },
      scenario({ parallelToolCalls: 2 }),
    );
    expect(one.content.filter((b) => b.type === 'tool_use')).toHaveLength(1);
  });

  it('thinking: thinking_delta + signature_delta in the stream, thinking block first, tokens counted in output', async () => {
    const body = { ...base, max_tokens: 2048, thinking: { type: 'enabled' as const, budget_tokens: 1024 } };
    const deltas: string[] = [];
    const stream = client.messages.stream(body, scenario({ reasoningTokens: 6, outputTokens: 4 }));
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_delta') deltas.push(e.delta.type);
    });
    const final = await stream.finalMessage();
    expect(deltas.filter((d) => d === 'thinking_delta')).toHaveLength(6);
    expect(deltas).toContain('signature_delta');
    const thinking = final.content[0];
    expect(thinking?.type).toBe('thinking');
    if (thinking?.type === 'thinking') {
      expect(thinking.thinking.split(' ')).toHaveLength(6);
      expect(thinking.signature.length).toBeGreaterThan(20);
    }
    expect(final.content[1]?.type).toBe('text');
    expect(final.usage.output_tokens).toBe(10);
  });

  it('models list', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain('claude-sonnet-4-5');
  });
});

describe('anthropic simulator: faults raise the SDK typed errors', () => {
  const create = (s: Scenario | string) => client.messages.create(base, scenario(s));

  it('missing key → 401 authentication_error; missing anthropic-version → 400; missing max_tokens → 400', async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${sim.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const noKey = await post({ 'anthropic-version': '2023-06-01' }, base);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const noVersion = await post({ 'x-api-key': 'k' }, base);
    expect(noVersion.status).toBe(400);
    const { max_tokens: _m, ...noMax } = base;
    const missingMax = await post({ 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }, noMax);
    expect(missingMax.status).toBe(400);
    expect(await missingMax.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
    });
  });

  it('529 overloaded → OverloadedError (an InternalServerError) with status 529', async () => {
    const e = (await create('overloaded').catch((x: unknown) => x)) as APIError;
    expect(e).toBeInstanceOf(InternalServerError);
    expect(e).toBeInstanceOf(OverloadedError);
    expect(e.status).toBe(529);
    expect(e.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('429 → RateLimitError with retry-after and anthropic-ratelimit headers', async () => {
    const e = (await create({ fault: { status: 429, retryAfterSeconds: 7 } }).catch(
      (x: unknown) => x,
    )) as RateLimitError;
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.headers?.get('retry-after')).toBe('7');
    expect(e.headers?.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(e.requestID).toMatch(/^req_011C/);
  });

  it('context length → BadRequestError "prompt is too long"', async () => {
    const e = (await create('context_length').catch((x: unknown) => x)) as BadRequestError;
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.message).toContain('prompt is too long');
  });

  it('reset before headers → APIConnectionError', async () => {
    await expect(create('reset_before_headers')).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('in-stream `event: error` overloaded after HTTP 200 → APIError while iterating', async () => {
    const stream = await client.messages.create(
      { ...base, stream: true },
      scenario({ fault: { kind: 'stream_error_event', afterChunks: 3 } }),
    );
    const seen: string[] = [];
    const err = await (async () => {
      for await (const e of stream) seen.push(e.type);
    })().catch((x: unknown) => x);
    expect(seen).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).error).toMatchObject({ error: { type: 'overloaded_error' } });
  });

  it('stream_error_event with K=0 fails before any event', async () => {
    const stream = client.messages.stream(base, scenario({ fault: { kind: 'stream_error_event', afterChunks: 0 } }));
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(APIError);
  });

  it('reset mid stream and malformed SSE reject finalMessage()', async () => {
    await expect(client.messages.stream(base, scenario('reset_mid_stream')).finalMessage()).rejects.toThrow();
    await expect(client.messages.stream(base, scenario('malformed_sse')).finalMessage()).rejects.toThrow();
  });
});
