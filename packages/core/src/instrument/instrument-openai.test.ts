import { type Simulator, startSimulator } from '@switchyard/simulators';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CITY_SCHEMA, costOf, harness, waitFor } from '../test-support/harness.js';
import { instrument } from './instrument.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ provider: 'openai', port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const scenario = (s: object) => ({ headers: { 'x-sim-scenario': JSON.stringify(s) } });
const messages = [{ role: 'user' as const, content: 'Say hello to the instrumented world' }];

function setup(extra = {}) {
  const h = harness(extra);
  const bare = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 });
  return { ...h, bare, client: instrument(bare, h.options) };
}

describe('instrument(openai) against the simulator', () => {
  beforeEach(() => sim.reset());

  it('chat non-stream: same result, one record with exact usage and cost, one span', async () => {
    const { client, records, exporter } = setup();
    const res = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages },
      scenario({ outputTokens: 10, cachedTokens: 4, reasoningTokens: 3 }),
    );
    await waitFor(records, 1);
    expect(records).toHaveLength(1);
    const r = records[0];
    expect(r).toMatchObject({
      provider: 'openai',
      operation: 'chat',
      requestModel: 'gpt-4o-mini',
      streaming: false,
      outcome: 'ok',
      responseId: res.id,
      finishReasons: ['stop'],
    });
    const u = res.usage;
    expect(r?.usage).toEqual({
      inputTokens: u?.prompt_tokens,
      outputTokens: u?.completion_tokens,
      cacheReadTokens: 4,
      cacheWriteTokens: 0,
      reasoningTokens: 3,
      source: 'provider',
    });
    expect(r?.usage?.outputTokens).toBe(13);
    expect(r?.cost?.totalNanos).toBe(costOf('gpt-4o-mini', r?.usage as never));
    expect(r?.serverAddress).toBe('127.0.0.1');
    expect(r?.requestId).toMatch(/^req_/);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('chat gpt-4o-mini');
    expect(span?.attributes['gen_ai.usage.output_tokens']).toBe(13);
  });

  it('stream and non-stream of the same call cost the same; ttft recorded; chunks unchanged', async () => {
    const { client, bare, records } = setup();
    const s = scenario({ outputTokens: 12, cachedTokens: 6, reasoningTokens: 5 });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages }, s);
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } },
      s,
    );
    const wrappedChunks: unknown[] = [];
    for await (const c of stream) wrappedChunks.push(c);
    const bareChunks: unknown[] = [];
    for await (const c of await bare.chat.completions.create(
      { model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } },
      s,
    ))
      bareChunks.push(c);
    await waitFor(records, 2);
    const strip = (cs: unknown[]) => cs.map((c) => ({ ...(c as object), id: '', created: 0 }));
    expect(strip(wrappedChunks)).toEqual(strip(bareChunks));
    const [plain, streamed] = records;
    expect(streamed?.streaming).toBe(true);
    expect(streamed?.usage).toEqual(plain?.usage);
    expect(streamed?.cost).toEqual(plain?.cost);
    expect(streamed?.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('includeUsage: exact usage without the caller seeing the extra chunk', async () => {
    const { client, records, bare } = setup({ includeUsage: true });
    const chunks: Array<{ choices: unknown[]; usage?: unknown }> = [];
    for await (const c of await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages, stream: true },
      scenario({ outputTokens: 8 }),
    ))
      chunks.push(c);
    await waitFor(records, 1);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(records[0]?.usage).toMatchObject({ outputTokens: 8, source: 'provider' });
    expect((sim.requests.at(-1) as { body: { stream_options?: unknown } }).body.stream_options).toEqual({
      include_usage: true,
    });
    // Without the option, a stream has no usage: estimated, never zero.
    const plain = setup();
    for await (const _ of await plain.client.chat.completions.create(
      { model: 'gpt-4o-mini', messages, stream: true },
      scenario({ outputTokens: 8 }),
    )) {
    }
    await waitFor(plain.records, 1);
    expect(plain.records[0]?.usage?.source).toBe('estimated');
    expect(plain.records[0]?.usage?.outputTokens).toBeGreaterThan(0);
    void bare;
  });

  it('abandoned stream (break) ends the record as cancelled', async () => {
    const { client, records } = setup();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages, stream: true },
      scenario({ outputTokens: 20 }),
    );
    for await (const _ of stream) break;
    await waitFor(records, 1);
    expect(records[0]).toMatchObject({ outcome: 'error', error: { errorClass: 'cancelled' } });
  });

  it('controller.abort() mid-stream ends the record as cancelled', async () => {
    const { client, records } = setup();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages, stream: true },
      scenario({ outputTokens: 20, chunkDelayMs: 5 }),
    );
    let n = 0;
    for await (const _ of stream) if (++n === 2) stream.controller.abort();
    await waitFor(records, 1);
    expect(records[0]?.error?.errorClass).toBe('cancelled');
  });

  it('AbortSignal before the response: same APIUserAbortError, recorded as cancelled', async () => {
    const { client, records } = setup();
    const ac = new AbortController();
    const p = client.chat.completions.create(
      { model: 'gpt-4o-mini', messages },
      { ...scenario({ latencyMs: 200 }), signal: ac.signal },
    );
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toThrow(OpenAI.APIUserAbortError);
    await waitFor(records, 1);
    expect(records[0]?.error?.errorClass).toBe('cancelled');
  });

  it.each([
    ['rate_limited', OpenAI.RateLimitError, 'rate_limited'],
    ['quota_exhausted', OpenAI.RateLimitError, 'quota_exhausted'],
    ['server_error', OpenAI.InternalServerError, 'upstream_5xx'],
    ['context_length', OpenAI.BadRequestError, 'context_length'],
    ['reset_before_headers', OpenAI.APIConnectionError, 'connection'],
  ] as const)(
    'fault %s: the SDK error is rethrown untouched and classified %s',
    async (preset, ErrorType, errorClass) => {
      const { client, records, exporter } = setup();
      const err = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-sim-scenario': preset } })
        .catch((e) => e);
      expect(err).toBeInstanceOf(ErrorType);
      await waitFor(records, 1);
      expect(records[0]).toMatchObject({ outcome: 'error', error: { errorClass } });
      expect(exporter.getFinishedSpans()[0]?.attributes['error.type']).toBe(errorClass);
    },
  );

  it('stream faults: in-stream error event and mid-stream reset', async () => {
    const { client, records } = setup();
    for (const preset of ['stream_error_event', 'reset_mid_stream']) {
      const stream = await client.chat.completions.create(
        { model: 'gpt-4o-mini', messages, stream: true },
        { headers: { 'x-sim-scenario': preset } },
      );
      await expect(async () => {
        for await (const _ of stream) {
        }
      }).rejects.toThrow();
    }
    await waitFor(records, 2);
    expect(records.map((r) => r.outcome)).toEqual(['error', 'error']);
    expect(records[1]?.error?.errorClass).toMatch(/connection|stream_interrupted|unknown/);
  });

  it('.withResponse() and .asResponse() still work', async () => {
    const { client, records } = setup();
    const { data, response, request_id } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(response.status).toBe(200);
    expect(request_id).toMatch(/^req_/);
    const raw = await client.chat.completions.create({ model: 'gpt-4o-mini', messages }).asResponse();
    expect(((await raw.json()) as { object: string }).object).toBe('chat.completion');
    await waitFor(records, 2);
    expect(records).toHaveLength(2);
    expect(records[0]?.usage?.source).toBe('provider');
  });

  it('embeddings and untouched resources', async () => {
    const { client, records } = setup();
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a b c', 'd e'] });
    await waitFor(records, 1);
    expect(records[0]).toMatchObject({
      operation: 'embeddings',
      usage: { inputTokens: res.usage.prompt_tokens, outputTokens: 0 },
    });
    const models = await client.models.list();
    expect(models.data.length).toBeGreaterThan(0);
    expect(client.baseURL).toBe(`${sim.url}/v1`);
  });

  it('instrumenting twice records once; instanceof still holds', async () => {
    const { client, records, options } = setup();
    const again = instrument(client, options);
    expect(again).toBe(client);
    expect(client).toBeInstanceOf(OpenAI);
    await again.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await waitFor(records, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(records).toHaveLength(1);
  });

  it('a sink that throws never reaches the caller', async () => {
    const { client } = setup({
      sinks: [
        () => {
          throw new Error('exporter down');
        },
      ],
      onRecord: () => {
        throw new Error('boom');
      },
    });
    const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(res.object).toBe('chat.completion');
  });
});

// The SDK's helpers — chat.completions.parse / .stream() / .runTools(), responses.parse / .stream() — make their
// requests through `this._client`, the client they were built on. Through an instrument()ed client each is still one
// recorded call per request the helper makes, and its own result is unchanged.
const weatherMessages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];

describe('instrument(openai): the SDK helpers are recorded', () => {
  beforeEach(() => sim.reset());

  it('chat.completions.parse: the parsed answer as without instrument(), one record with usage and cost', async () => {
    const { client, bare, records, exporter } = setup();
    const body = {
      model: 'gpt-4o-mini',
      messages: weatherMessages,
      response_format: {
        type: 'json_schema' as const,
        json_schema: { name: 'city', schema: CITY_SCHEMA, strict: true },
      },
    };
    const got = await client.chat.completions.parse(body, scenario({ outputTokens: 12 }));
    const want = await bare.chat.completions.parse(body, scenario({ outputTokens: 12 }));
    expect(got.choices[0]?.message.parsed).toEqual(want.choices[0]?.message.parsed);
    expect(got.choices[0]?.message.parsed).toMatchObject({ city: expect.any(String) });
    await waitFor(records, 1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      operation: 'chat',
      requestModel: 'gpt-4o-mini',
      streaming: false,
      outcome: 'ok',
      usage: { outputTokens: got.usage?.completion_tokens, inputTokens: got.usage?.prompt_tokens, source: 'provider' },
    });
    expect(records[0]?.cost?.totalNanos).toBeGreaterThan(0n);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['chat gpt-4o-mini']);
  });

  it('chat.completions.stream(): finalChatCompletion unchanged, one streamed record with first-chunk time', async () => {
    const { client, records } = setup();
    const stream = client.chat.completions.stream(
      { model: 'gpt-4o-mini', messages: weatherMessages, stream_options: { include_usage: true } },
      scenario({ outputTokens: 9, chunks: 3 }),
    );
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content?.split(' ')).toHaveLength(9);
    await waitFor(records, 1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ operation: 'chat', streaming: true, outcome: 'ok' });
    expect(records[0]?.usage).toMatchObject({ outputTokens: 9, source: 'provider' });
    expect(records[0]?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('chat.completions.runTools: every request of the tool loop is one record', async () => {
    const { client, records } = setup();
    const calls: unknown[] = [];
    const runner = client.chat.completions.runTools({
      model: 'gpt-4o-mini',
      messages: weatherMessages,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'The weather in a city today',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
            function: (args: unknown) => {
              calls.push(args);
              return 'sunny, 21 °C';
            },
            parse: JSON.parse,
          },
        },
      ],
    });
    const content = await runner.finalContent();
    expect(typeof content).toBe('string');
    expect(calls).toHaveLength(1); // the simulator calls the tool once, then answers after its result
    await waitFor(records, 2);
    expect(records.map((r) => [r.operation, r.outcome, r.finishReasons])).toEqual([
      ['chat', 'ok', ['tool_calls']],
      ['chat', 'ok', ['stop']],
    ]);
  });

  it('responses.parse and responses.stream(): one record each, operation responses', async () => {
    const { client, records } = setup();
    const parsed = await client.responses.parse(
      {
        model: 'gpt-4.1',
        input: 'What is the weather in Paris?',
        text: { format: { type: 'json_schema', name: 'city', schema: CITY_SCHEMA, strict: true } },
      },
      scenario({ outputTokens: 8 }),
    );
    expect(parsed.output_parsed).toMatchObject({ city: expect.any(String) });
    const stream = client.responses.stream({ model: 'gpt-4.1', input: 'Tell a story' }, scenario({ outputTokens: 6 }));
    const final = await stream.finalResponse();
    expect(final.output_text.split(' ')).toHaveLength(6);
    await waitFor(records, 2);
    expect(records.map((r) => [r.operation, r.streaming, r.outcome, r.usage?.source])).toEqual([
      ['responses', false, 'ok', 'provider'],
      ['responses', true, 'ok', 'provider'],
    ]);
    expect(records[1]?.usage?.outputTokens).toBe(6);
  });

  it('the client the helpers were built on is left as it was: the bare client records nothing', async () => {
    const { bare, records } = setup();
    await bare.chat.completions.parse({ model: 'gpt-4o-mini', messages: weatherMessages });
    await bare.chat.completions.stream({ model: 'gpt-4o-mini', messages: weatherMessages }).finalChatCompletion();
    await new Promise((r) => setTimeout(r, 50));
    expect(records).toHaveLength(0);
  });
});
