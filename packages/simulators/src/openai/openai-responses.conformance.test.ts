// The official openai SDK (6.49) `responses.create` / `responses.stream` / `responses.parse` against the OpenAI
// simulator's /v1/responses: shapes, exact usage, the event sequence, function calls and faults.
import OpenAI, { APIConnectionError, InternalServerError, RateLimitError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../server.js';
import { countInputTokens, textTokens, toolCallTokens } from '../tokens.js';
import type { Scenario, Simulator } from '../types.js';

let sim: Simulator;
let client: OpenAI;
const scenario = (s: Scenario) => ({ headers: { 'x-sim-scenario': JSON.stringify(s) } });
const tools = [
  {
    type: 'function' as const,
    name: 'get_weather',
    strict: false,
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
    },
  },
];

beforeAll(async () => {
  sim = await startSimulator({ provider: 'openai' });
  client = new OpenAI({ apiKey: 'sk-test-secret', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

describe('openai simulator: /v1/responses', () => {
  it('create: response object with exact usage, deterministic per request', async () => {
    const params = { model: 'gpt-4.1', instructions: 'Be brief.', input: 'What is the weather in Paris today?' };
    const a = await client.responses.create(params, scenario({ outputTokens: 7, cachedTokens: 5 }));
    const b = await client.responses.create(params, scenario({ outputTokens: 7, cachedTokens: 5 }));
    const input = countInputTokens(['Be brief.', 'What is the weather in Paris today?']);
    expect(a.object).toBe('response');
    expect(a.id).toMatch(/^resp_[A-Za-z0-9]{48}$/);
    expect(a.status).toBe('completed');
    expect(a.output_text.split(' ')).toHaveLength(7);
    expect(a.usage).toEqual({
      input_tokens: input,
      input_tokens_details: { cached_tokens: 5 },
      output_tokens: 7,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input + 7,
    });
    expect(a.instructions).toBe('Be brief.');
    expect(b.id).toBe(a.id);
    expect(b.output_text).toBe(a.output_text);
    expect(a._request_id).toMatch(/^req_/);
  });

  it('stream: the full event sequence, numbered, ending in response.completed with the same output', async () => {
    const params = { model: 'gpt-4.1', input: 'Tell a story' };
    const json = await client.responses.create(params, scenario({ outputTokens: 6, chunks: 3 }));
    const stream = client.responses.stream(params, scenario({ outputTokens: 6, chunks: 3 }));
    const types: string[] = [];
    const seqs: number[] = [];
    for await (const ev of stream) {
      types.push(ev.type);
      seqs.push(ev.sequence_number);
    }
    const final = await stream.finalResponse();
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(final.output_text).toBe(json.output_text);
    expect(final.usage).toEqual(json.usage);
  });

  it('function calls: items with call ids, streamed argument deltas, parallel_tool_calls: false', async () => {
    const params = { model: 'gpt-4.1', input: 'Weather?', tools };
    const res = await client.responses.create(params, scenario({ parallelToolCalls: 2 }));
    const calls = res.output.filter((o) => o.type === 'function_call');
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      if (c.type !== 'function_call') continue;
      expect(c.call_id).toMatch(/^call_/);
      const args = JSON.parse(c.arguments) as { days?: number };
      expect(args.days).toBeGreaterThanOrEqual(1);
      expect(args.days).toBeLessThanOrEqual(7);
    }
    const expectedOut = calls.reduce(
      (n, c) => n + (c.type === 'function_call' ? toolCallTokens(c.name, c.arguments) : 0),
      0,
    );
    expect(res.usage?.output_tokens).toBe(expectedOut);
    const single = await client.responses.create(
      { ...params, parallel_tool_calls: false },
      scenario({ parallelToolCalls: 2 }),
    );
    expect(single.output.filter((o) => o.type === 'function_call')).toHaveLength(1);

    const stream = client.responses.stream(params);
    const deltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    const call = final.output.find((o) => o.type === 'function_call');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe(call?.type === 'function_call' ? call.arguments : '');
  });

  it('text.format json_schema: parse() gets schema-valid JSON', async () => {
    const res = await client.responses.parse({
      model: 'gpt-4.1',
      input: 'A city',
      text: {
        format: {
          type: 'json_schema',
          name: 'city',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, rank: { type: 'integer', minimum: 1, maximum: 3 } },
            required: ['name', 'rank'],
            additionalProperties: false,
          },
        },
      },
    });
    const parsed = res.output_parsed as unknown as { name: string; rank: number };
    expect(typeof parsed.name).toBe('string');
    expect([1, 2, 3]).toContain(parsed.rank);
    expect(res.usage?.output_tokens).toBe(textTokens(res.output_text));
  });

  it('max_output_tokens cuts the answer: status incomplete, reason max_output_tokens', async () => {
    const res = await client.responses.create({ model: 'gpt-4.1', input: 'Long story', max_output_tokens: 3 });
    expect(res.status).toBe('incomplete');
    expect(res.incomplete_details?.reason).toBe('max_output_tokens');
    expect(res.usage?.output_tokens).toBe(3);
  });

  it('faults: 429 → RateLimitError, 500 → InternalServerError, reset → connection error, in-stream error', async () => {
    await expect(
      client.responses.create({ model: 'gpt-4.1', input: 'x' }, scenario({ fault: { status: 429 } })),
    ).rejects.toBeInstanceOf(RateLimitError);
    await expect(
      client.responses.create({ model: 'gpt-4.1', input: 'x' }, scenario({ fault: { status: 500 } })),
    ).rejects.toBeInstanceOf(InternalServerError);
    await expect(
      client.responses.create({ model: 'gpt-4.1', input: 'x' }, scenario({ fault: { kind: 'reset_before_headers' } })),
    ).rejects.toBeInstanceOf(APIConnectionError);
    const stream = client.responses.stream(
      { model: 'gpt-4.1', input: 'x' },
      scenario({ fault: { kind: 'stream_error_event', afterChunks: 3 } }),
    );
    await expect(stream.finalResponse()).rejects.toThrow();
    const raw = await fetch(`${sim.url}/v1/responses`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer k',
        'content-type': 'application/json',
        'x-sim-scenario': JSON.stringify({ fault: { kind: 'stream_error_event', afterChunks: 2 } }),
      },
      body: JSON.stringify({ model: 'gpt-4.1', input: 'x', stream: true }),
    });
    const text = await raw.text();
    expect(
      text.endsWith(
        'event: error\ndata: {"type":"error","code":"server_error","message":"The server had an error while processing your request. Sorry about that!","param":null,"sequence_number":0}\n\n',
      ),
    ).toBe(true);
  });

  it('a missing input is a 400 naming the parameter', async () => {
    const err = await client.responses.create({ model: 'gpt-4.1' } as never).catch((e: unknown) => e);
    expect((err as { status?: number }).status).toBe(400);
    expect((err as { param?: string }).param).toBe('input');
  });
});
