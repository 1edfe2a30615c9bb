// The official openai SDK (6.49) against the OpenAI simulator: every shape parses, every fault is typed.
import OpenAI, {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddingVector } from '../ids.js';
import { startSimulator } from '../server.js';
import { countEmbeddingTokens, countInputTokens, textTokens, toolCallTokens } from '../tokens.js';
import type { Scenario, Simulator } from '../types.js';
import { openaiInputTokens } from './openai-usage.js';

let sim: Simulator;
let client: OpenAI;
const scenario = (s: Scenario | string) => ({
  headers: { 'x-sim-scenario': typeof s === 'string' ? s : JSON.stringify(s) },
});
const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'What is the weather in Paris today?' },
];
// Rule: Σ (4 + ceil(chars / 4)) = (4 + 3) + (4 + 9)
const EXPECTED_INPUT = 20;
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
    },
  },
};

beforeAll(async () => {
  sim = await startSimulator({ provider: 'openai' });
  client = new OpenAI({ apiKey: 'sk-test-secret', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

describe('openai simulator: shapes', () => {
  it('chat completion JSON with exact usage, deterministic per request', async () => {
    const a = await client.chat.completions.create({ model: 'gpt-4o', messages }, scenario({ outputTokens: 7 }));
    const b = await client.chat.completions.create({ model: 'gpt-4o', messages }, scenario({ outputTokens: 7 }));
    expect(countInputTokens(['Be brief.', 'What is the weather in Paris today?'])).toBe(EXPECTED_INPUT);
    expect(a.object).toBe('chat.completion');
    expect(a.id).toMatch(/^chatcmpl-[A-Za-z0-9]{29}$/);
    expect(a.choices[0]?.message.content?.split(' ')).toHaveLength(7);
    expect(a.choices[0]?.finish_reason).toBe('stop');
    expect(a.usage).toMatchObject({ prompt_tokens: EXPECTED_INPUT, completion_tokens: 7, total_tokens: 27 });
    expect(b.id).toBe(a.id);
    expect(b.choices[0]?.message.content).toBe(a.choices[0]?.message.content);
    expect(a._request_id).toMatch(/^req_/);
    expect(b._request_id).not.toBe(a._request_id);
  });

  it('max_completion_tokens cuts the text and reports finish_reason length; reasoning and cache counted', async () => {
    const r = await client.chat.completions.create(
      { model: 'o4-mini', messages, max_completion_tokens: 10 },
      scenario({ outputTokens: 50, reasoningTokens: 4, cachedTokens: 12 }),
    );
    expect(r.choices[0]?.finish_reason).toBe('length');
    expect(r.usage?.completion_tokens).toBe(10);
    expect(r.usage?.completion_tokens_details?.reasoning_tokens).toBe(4);
    expect(r.usage?.prompt_tokens_details?.cached_tokens).toBe(12);
    expect(r.choices[0]?.message.content?.split(' ')).toHaveLength(6);
  });

  it('stream with include_usage: usage null on chunks, final choices:[] usage chunk, content reassembles', async () => {
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o', messages, stream: true, stream_options: { include_usage: true } },
      scenario({ outputTokens: 9, chunks: 3 }),
    );
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks).toHaveLength(1 + 3 + 1 + 1); // role, 3 content, finish, usage
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: EXPECTED_INPUT, completion_tokens: 9, total_tokens: 29 });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const json = await client.chat.completions.create({ model: 'gpt-4o', messages }, scenario({ outputTokens: 9 }));
    expect(text).toBe(json.choices[0]?.message.content);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('stream without include_usage carries no usage key', async () => {
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o', messages, stream: true },
      scenario({ outputTokens: 2 }),
    );
    for await (const c of stream) expect(c.usage).toBeUndefined();
  });

  it('tool call JSON: arguments generated from the schema, usage by the rule', async () => {
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages, tools: [weatherTool] });
    const call = r.choices[0]?.message.tool_calls?.[0];
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
    expect(r.choices[0]?.message.content).toBeNull();
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    const args = JSON.parse(call.function.arguments);
    expect(typeof args.city).toBe('string');
    expect(args.days).toBeGreaterThanOrEqual(1);
    expect(args.days).toBeLessThanOrEqual(7);
    const body = { model: 'gpt-4o', messages, tools: [weatherTool] };
    expect(r.usage?.prompt_tokens).toBe(openaiInputTokens(body));
    expect(r.usage?.prompt_tokens).toBe(EXPECTED_INPUT + textTokens(JSON.stringify([weatherTool])));
    expect(r.usage?.completion_tokens).toBe(toolCallTokens('get_weather', call.function.arguments));
  });

  it('tool_choice none answers with text; forced tool is called', async () => {
    const none = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      tools: [weatherTool],
      tool_choice: 'none',
    });
    expect(none.choices[0]?.message.tool_calls).toBeUndefined();
    const other = {
      type: 'function' as const,
      function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
    };
    const forced = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      tools: [weatherTool, other],
      tool_choice: { type: 'function', function: { name: 'get_time' } },
    });
    const call = forced.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_time');
  });

  it('streamed tool-call deltas reassemble via chat.completions.stream().finalChatCompletion()', async () => {
    const body = { model: 'gpt-4o', messages, tools: [weatherTool] };
    const runner = client.chat.completions.stream(
      { ...body, stream_options: { include_usage: true } },
      scenario({ chunks: 5 }),
    );
    let argDeltas = 0;
    runner.on('chunk', (c) => {
      if (c.choices[0]?.delta.tool_calls?.[0]?.function?.arguments) argDeltas++;
    });
    const final = await runner.finalChatCompletion();
    const json = await client.chat.completions.create(body);
    expect(argDeltas).toBe(5);
    expect(final.choices[0]?.message.tool_calls).toEqual(json.choices[0]?.message.tool_calls);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.usage?.completion_tokens).toBe(json.usage?.completion_tokens);
  });

  it('parallel tool calls when the scenario asks, indexed 0..n-1; parallel_tool_calls:false gives one', async () => {
    const other = {
      type: 'function' as const,
      function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
    };
    const body = { model: 'gpt-4o', messages, tools: [weatherTool, other] };
    const final = await client.chat.completions.stream(body, scenario({ parallelToolCalls: 3 })).finalChatCompletion();
    const names = final.choices[0]?.message.tool_calls?.map((c) => (c.type === 'function' ? c.function.name : ''));
    expect(names).toEqual(['get_weather', 'get_time', 'get_weather']);
    const single = await client.chat.completions.create(
      { ...body, parallel_tool_calls: false },
      scenario({ parallelToolCalls: 3 }),
    );
    expect(single.choices[0]?.message.tool_calls).toHaveLength(1);
  });

  it('embeddings: the SDK default (base64) decodes to the same floats as encoding_format float', async () => {
    const input = ['hello world', 'switchyard'];
    const b64 = await client.embeddings.create({ model: 'text-embedding-3-small', input, dimensions: 8 });
    const floats = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input,
      dimensions: 8,
      encoding_format: 'float',
    });
    expect(sim.requests.at(-2)?.body).toMatchObject({ encoding_format: 'base64' });
    expect(b64.data[0]?.embedding).toEqual(floats.data[0]?.embedding);
    expect(b64.data[1]?.embedding).toEqual(Array.from(embeddingVector('switchyard', 8)));
    expect(b64.data[0]?.embedding).toHaveLength(8);
    expect(b64.usage).toEqual({
      prompt_tokens: countEmbeddingTokens(input),
      total_tokens: countEmbeddingTokens(input),
    });
    const full = await client.embeddings.create({ model: 'text-embedding-3-large', input: 'x' });
    expect(full.data[0]?.embedding).toHaveLength(3072);
  });

  it('models list and retrieve', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain('gpt-4o');
    expect((await client.models.retrieve('gpt-4o-mini')).object).toBe('model');
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('openai simulator: faults raise the SDK typed errors', () => {
  const create = (s: Scenario | string) => client.chat.completions.create({ model: 'gpt-4o', messages }, scenario(s));
  const createStream = (s: Scenario | string) =>
    client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }, scenario(s));

  it('missing key → 401 AuthenticationError', async () => {
    const res = await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const strict = await startSimulator({ provider: 'openai', apiKey: 'right' });
    const wrong = new OpenAI({ apiKey: 'wrong-secret', baseURL: `${strict.url}/v1`, maxRetries: 0 });
    const err = await wrong.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
    await strict.close();
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify((err as APIError).error)).not.toContain('wrong-secret');
  });

  it('429 rate limit → RateLimitError with retry-after, retry-after-ms and x-ratelimit headers', async () => {
    const err = await create({ fault: { status: 429, retryAfterMs: 1500 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    const e = err as RateLimitError;
    expect(e.code).toBe('rate_limit_exceeded');
    expect(e.headers.get('retry-after-ms')).toBe('1500');
    expect(e.headers.get('retry-after')).toBe('2');
    expect(e.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(e.requestID).toMatch(/^req_/);
  });

  it('insufficient_quota → RateLimitError with type and code insufficient_quota', async () => {
    const e = (await create('quota_exhausted').catch((x: unknown) => x)) as RateLimitError;
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.type).toBe('insufficient_quota');
    expect(e.code).toBe('insufficient_quota');
  });

  it('context length → BadRequestError context_length_exceeded; 503 → InternalServerError', async () => {
    const e = (await create('context_length').catch((x: unknown) => x)) as BadRequestError;
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.code).toBe('context_length_exceeded');
    const o = (await create('overloaded').catch((x: unknown) => x)) as InternalServerError;
    expect(o).toBeInstanceOf(InternalServerError);
    expect(o.status).toBe(503);
  });

  it('reset before headers → APIConnectionError', async () => {
    await expect(create('reset_before_headers')).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('in-stream error event → APIError while iterating', async () => {
    const stream = await createStream({ fault: { kind: 'stream_error_event', afterChunks: 2 } });
    const seen: unknown[] = [];
    const err = await (async () => {
      for await (const c of stream) seen.push(c);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(2);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toContain('server had an error');
  });

  it('reset mid stream → iteration throws', async () => {
    const stream = await createStream({ fault: { kind: 'reset_mid_stream', afterChunks: 2 } });
    const err = await (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });

  it('malformed SSE and malformed JSON → errors, not silent success', async () => {
    const stream = await createStream('malformed_sse');
    await expect(
      (async () => {
        for await (const _ of stream);
      })(),
    ).rejects.toThrow();
    await expect(create('malformed_json')).rejects.toThrow();
  });

  it('html 502 page → InternalServerError whose message carries the page', async () => {
    const e = (await create('html_error').catch((x: unknown) => x)) as InternalServerError;
    expect(e).toBeInstanceOf(InternalServerError);
    expect(e.status).toBe(502);
    expect(e.message).toContain('502 Bad Gateway');
  });
});
