// Official `openai` SDK → /v1/responses → OpenAI (pass-through), Anthropic and Gemini (translated).
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, resetSims, simConfig, startHarness, UPSTREAM_KEY } from './helpers.js';

let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness();
  // Two OpenAI-compatible providers on the OpenAI simulator: one whose vendor has the Responses API (Groq,
  // known by its id) and a generic server that only has Chat Completions.
  const base = { kind: 'openai-compatible', apiKey: UPSTREAM_KEY, baseURL: `${h.sims.openai.url}/v1` };
  h.gw.app.switchyard.reload(
    simConfig(h.sims, {
      providers: {
        openai: { kind: 'openai', apiKey: UPSTREAM_KEY, baseURL: `${h.sims.openai.url}/v1` },
        anthropic: { kind: 'anthropic', apiKey: UPSTREAM_KEY, baseURL: h.sims.anthropic.url },
        gemini: { kind: 'gemini', apiKey: UPSTREAM_KEY, baseURL: h.sims.gemini.url },
        groq: base,
        local: base,
      },
      routes: { flaky: { strategy: 'fallback', targets: ['openai/gpt-4o', 'anthropic/claude-sonnet-4-5'] } },
    }),
  );
  client = new OpenAI({ apiKey: 'sk-client-a', baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => resetSims(h.sims));

const tools = [
  {
    type: 'function' as const,
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
    strict: true,
  },
];

describe.each(['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'])(
  'openai SDK responses → %s',
  (model) => {
    const providerId = model.split('/')[0] as 'openai';

    it('create: output_text, usage with details, switchyard headers, cost', async () => {
      const { data, response } = await client.responses
        .create({ model, input: 'Say hello', instructions: 'Be brief', max_output_tokens: 64 })
        .withResponse();
      expect(data.object).toBe('response');
      expect(data.status).toBe('completed');
      expect(data.output_text.length).toBeGreaterThan(0);
      expect(data.usage?.input_tokens).toBeGreaterThan(0);
      expect(data.usage?.output_tokens).toBeGreaterThan(0);
      expect(data.usage?.total_tokens).toBe((data.usage?.input_tokens ?? 0) + (data.usage?.output_tokens ?? 0));
      expect(data.usage?.input_tokens_details.cached_tokens).toBe(0);
      expect(data.usage?.output_tokens_details.reasoning_tokens).toBe(0);
      expect(response.headers.get('x-switchyard-provider')).toBe(providerId);
      expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeGreaterThan(0);
      expect((data.usage as { cost?: number }).cost).toBeGreaterThan(0);
      // What went upstream: the Responses API itself for OpenAI, the provider's own API otherwise.
      const sent = h.sims[providerId].requests.at(-1);
      if (providerId === 'openai') expect(sent?.path).toBe('/v1/responses');
      else expect(sent?.path).not.toContain('responses');
    });

    it('stream: the Responses event sequence with sequence numbers, same text as JSON, usage', async () => {
      const params = { model, input: [{ role: 'user' as const, content: 'Tell a story' }] };
      const json = await client.responses.create(params);
      const stream = client.responses.stream(params);
      const events: { type: string; sequence_number: number }[] = [];
      for await (const ev of stream) events.push(ev);
      const final = await stream.finalResponse();
      const types = events.map((e) => e.type);
      expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
      expect(types).toContain('response.output_item.added');
      expect(types).toContain('response.content_part.added');
      expect(types).toContain('response.output_text.delta');
      expect(types).toContain('response.output_text.done');
      expect(types).toContain('response.content_part.done');
      expect(types).toContain('response.output_item.done');
      expect(types.at(-1)).toBe('response.completed');
      expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
      expect(final.output_text).toBe(json.output_text);
      expect(final.usage?.output_tokens).toBe(json.usage?.output_tokens);
      expect(final.usage?.input_tokens).toBe(json.usage?.input_tokens);
    });

    it('tools: function_call items, streamed arguments, then function_call_output continues', async () => {
      const first = await client.responses.create({
        model,
        input: 'Weather in Paris?',
        tools,
        tool_choice: 'required',
      });
      const call = first.output.find((o) => o.type === 'function_call');
      expect(call?.type === 'function_call' && call.name).toBe('get_weather');
      const args = JSON.parse(call?.type === 'function_call' ? call.arguments : '{}') as { city?: unknown };
      expect(typeof args.city).toBe('string');

      const stream = client.responses.stream({ model, input: 'Weather in Paris?', tools, tool_choice: 'required' });
      const deltas: string[] = [];
      stream.on('response.function_call_arguments.delta', (e) => deltas.push(e.delta));
      const streamed = (await stream.finalResponse()).output.find((o) => o.type === 'function_call');
      expect(streamed?.type === 'function_call' && JSON.parse(streamed.arguments)).toEqual(args);
      expect(deltas.join('')).toBe(streamed?.type === 'function_call' ? streamed.arguments : '');

      if (call?.type !== 'function_call') throw new Error('no call');
      const second = await client.responses.create({
        model,
        tools,
        input: [
          { role: 'user', content: 'Weather in Paris?' },
          { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
          { type: 'function_call_output', call_id: call.call_id, output: '{"temp":21}' },
        ],
        tool_choice: 'none',
      });
      expect(second.output_text.length).toBeGreaterThan(0);
    });

    it('text.format json_schema: parse() returns an object matching the schema', async () => {
      const res = await client.responses.parse({
        model,
        input: 'A city and its population',
        text: {
          format: {
            type: 'json_schema',
            name: 'city',
            strict: true,
            schema: {
              type: 'object',
              properties: { name: { type: 'string' }, population: { type: 'integer' } },
              required: ['name', 'population'],
              additionalProperties: false,
            },
          },
        },
      });
      const parsed = res.output_parsed as { name?: unknown; population?: unknown } | null;
      expect(typeof parsed?.name).toBe('string');
      expect(Number.isInteger(parsed?.population)).toBe(true);
    });

    it('previous_response_id continues the conversation (store), isolated per key', async () => {
      const first = await client.responses.create({ model, input: 'My name is Ada.' });
      const second = await client.responses.create({
        model,
        input: 'What is my name?',
        previous_response_id: first.id,
      });
      expect(second.status).toBe('completed');
      const sent = h.sims[providerId].requests.at(-1)?.body as Record<string, unknown>;
      const text = JSON.stringify(sent);
      // Translated targets get the earlier turns inlined; OpenAI holds its own response (id passed through).
      if (providerId === 'openai') expect(sent.previous_response_id).toBe(first.id);
      else expect(text).toContain('My name is Ada.');

      if (providerId !== 'openai') {
        const other = new OpenAI({ apiKey: 'sk-client-b', baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
        const err = await other.responses
          .create({ model, input: 'What is my name?', previous_response_id: first.id })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OpenAI.BadRequestError);
        expect((err as { code?: string }).code).toBe('previous_response_not_found');
      }
    });

    it('upstream 429 → OpenAI-format RateLimitError naming the provider', async () => {
      h.sims[providerId].setScenario({ fault: { status: 429, code: 'rate_limit', retryAfterSeconds: 0 } });
      const err = await client.responses.create({ model, input: 'hi' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.RateLimitError);
      expect((err as Error).message).toContain(providerId);
    });
  },
);

describe('responses: routing and errors', () => {
  it('OpenAI-compatible: pass-through to a vendor with the Responses API, via Chat for a generic server', async () => {
    const viaGroq = await client.responses.create({ model: 'groq/llama-3.3-70b', input: 'hi' });
    expect(h.sims.openai.requests.at(-1)?.path).toBe('/v1/responses');
    const viaLocal = await client.responses.create({ model: 'local/qwen3', input: 'hi' });
    expect(h.sims.openai.requests.at(-1)?.path).toBe('/v1/chat/completions');
    for (const res of [viaGroq, viaLocal]) {
      expect(res.object).toBe('response');
      expect(res.output_text.length).toBeGreaterThan(0);
      expect(res.usage?.output_tokens).toBeGreaterThan(0);
    }
    const stream = client.responses.stream({ model: 'local/qwen3', input: 'hi' });
    expect((await stream.finalResponse()).output_text).toBe(viaLocal.output_text);
  });

  it('falls back from a failing OpenAI target to Anthropic with the same Responses shape', async () => {
    h.sims.openai.setScenario({ fault: { status: 503 } });
    const { data, response } = await client.responses.create({ model: 'flaky', input: 'hi' }).withResponse();
    expect(data.output_text.length).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('anthropic');
    expect(Number(response.headers.get('x-switchyard-attempts'))).toBeGreaterThan(1);
  });

  it('an in-stream error before any byte reached the client falls back (stream)', async () => {
    h.sims.openai.setScenario({ fault: { kind: 'stream_error_event', afterChunks: 0 } });
    const stream = client.responses.stream({ model: 'flaky', input: 'hi' });
    const final = await stream.finalResponse();
    expect(final.output_text.length).toBeGreaterThan(0);
    expect(h.sims.anthropic.requests).toHaveLength(1);
  });

  it('an in-stream error after commit ends the stream with one error event', async () => {
    h.sims.openai.setScenario({ fault: { kind: 'stream_error_event', afterChunks: 3 } });
    const stream = client.responses.stream({ model: 'openai/gpt-4.1', input: 'hi' });
    const err = await stream.finalResponse().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });

  it('invalid bodies are 400 in OpenAI format naming the field', async () => {
    const err = await client.responses
      .create({ model: 'anthropic/claude-sonnet-4-5', input: 'hi', tools: [{ type: 'web_search' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('web_search');
    const bad = await client.responses
      .create({ model: 'openai/gpt-4o-mini', input: 'hi', max_output_tokens: -1 })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as { param?: string }).param).toBe('max_output_tokens');
    // Never forwarded, even to OpenAI: a background response would be billed upstream and never charged here.
    const before = h.sims.openai.requests.length;
    const bg = await client.responses
      .create({ model: 'openai/gpt-4o-mini', input: 'hi', background: true })
      .catch((e: unknown) => e);
    expect(bg).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bg as { param?: string }).param).toBe('background');
    expect(h.sims.openai.requests).toHaveLength(before);
  });

  it('max_output_tokens: a cut-off answer is status incomplete with reason max_output_tokens', async () => {
    for (const model of ['openai/gpt-4.1-mini', 'gemini/gemini-2.5-pro', 'anthropic/claude-haiku-4-5']) {
      const res = await client.responses.create({ model, input: 'Tell a long story', max_output_tokens: 3 });
      expect(res.status).toBe('incomplete');
      expect(res.incomplete_details?.reason).toBe('max_output_tokens');
    }
  });
});
