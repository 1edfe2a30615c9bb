// Official `openai` SDK → gateway → each simulator: JSON, streams (include_usage), tools, embeddings, errors,
// headers. Every response body and chunk is validated with the OpenAI response schemas.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chatCompletionChunkSchema,
  chatCompletionSchema,
  embeddingsResponseSchema,
} from '../src/providers/openai/openai-response-schema.js';
import { type Harness, resetSims, startHarness } from './helpers.js';

let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  h = await startHarness();
  client = new OpenAI({ apiKey: 'sk-client-key', baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => resetSims(h.sims));

const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'] as const;
const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe.each(MODELS)('openai SDK → %s', (model) => {
  const providerId = model.split('/')[0] as string;

  it('chat JSON: valid body, usage with cost, switchyard headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse();
    expect(chatCompletionSchema.safeParse(data).success).toBe(true);
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    const cost = (data.usage as { cost?: number } | undefined)?.cost;
    expect(typeof cost).toBe('number');
    expect(response.headers.get('x-switchyard-provider')).toBe(providerId);
    expect(response.headers.get('x-switchyard-model')).toBe(model.slice(providerId.length + 1));
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(cost as number, 9);
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('stream with include_usage: schema-valid chunks, usage chunk with cost, text matches JSON call', async () => {
    const messages = [{ role: 'user' as const, content: 'Tell me a story' }];
    const json = await client.chat.completions.create({ model, messages });
    const stream = await client.chat.completions.create({
      model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: (OpenAI.CompletionUsage & { cost?: number }) | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      expect(chatCompletionChunkSchema.safeParse(chunk).success, JSON.stringify(chunk)).toBe(true);
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(json.choices[0]?.message.content);
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(json.usage?.completion_tokens);
    expect(usage?.cost).toBe((json.usage as { cost?: number }).cost);
  });

  it('stream without include_usage sends no usage', async () => {
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    for await (const chunk of stream) expect(chunk.usage ?? null).toBeNull();
  });

  it('tools: JSON and streamed tool calls', async () => {
    const messages = [{ role: 'user' as const, content: 'Weather in Paris?' }];
    const json = await client.chat.completions.create({ model, messages, tools: [weather] });
    expect(chatCompletionSchema.safeParse(json).success).toBe(true);
    const call = json.choices[0]?.message.tool_calls?.[0];
    expect(json.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    const runner = client.chat.completions.stream({ model, messages, tools: [weather] });
    for await (const chunk of runner) expect(chatCompletionChunkSchema.safeParse(chunk).success).toBe(true);
    const final = await runner.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(streamed?.type === 'function' && JSON.parse(streamed.function.arguments)).toEqual(
      call?.type === 'function' && JSON.parse(call.function.arguments),
    );
  });

  it('upstream 429 keeps its status and names the provider', async () => {
    h.sims[providerId as 'openai'].setScenario({ fault: { status: 429, code: 'rate_limit', retryAfterSeconds: 0 } });
    const err = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as Error).message).toContain(providerId);
    expect((err as Error).message).not.toMatch(/sk-upstream|at .*\.ts/);
  });
});

describe('openai SDK → embeddings', () => {
  it.each(['openai/text-embedding-3-small', 'gemini/gemini-embedding-001'])('%s float and base64', async (model) => {
    const floats = await client.embeddings.create({ model, input: ['a', 'b'], encoding_format: 'float' });
    expect(embeddingsResponseSchema.safeParse(floats).success).toBe(true);
    expect(floats.data).toHaveLength(2);
    // The SDK asks for base64 by default and decodes it: same vectors as float.
    const b64 = await client.embeddings.create({ model, input: ['a', 'b'] });
    expect(b64.data[0]?.embedding.length).toBe(floats.data[0]?.embedding.length);
    expect(b64.data[0]?.embedding[0]).toBeCloseTo(floats.data[0]?.embedding[0] as number, 5);
  });

  it('gemini reports no embedding tokens: the call is still priced (estimated from the input), never $0', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'gemini/gemini-embedding-001', input: 'x'.repeat(4000), encoding_format: 'float' })
      .withResponse();
    expect(data.usage.prompt_tokens).toBe(0); // what Gemini said, passed on as is
    // 1,000 estimated tokens × $0.15 per Mtok = $0.00015
    expect(response.headers.get('x-switchyard-cost-usd')).toBe('0.000150000');
  });

  it('anthropic has no embeddings: clear 400', async () => {
    const err = await client.embeddings.create({ model: 'anthropic/claude-sonnet-4-5', input: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as Error).message).toContain('no embeddings');
  });
});

describe('routing and errors', () => {
  it('alias falls back anthropic → openai on 529', async () => {
    h.sims.anthropic.setScenario({ fault: { status: 529 } });
    const { data, response } = await client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(chatCompletionSchema.safeParse(data).success).toBe(true);
    expect(response.headers.get('x-switchyard-provider')).toBe('openai');
    expect(Number(response.headers.get('x-switchyard-attempts'))).toBeGreaterThanOrEqual(2);
  });

  it('unknown model → 404 model_not_found', async () => {
    const err = await client.chat.completions
      .create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as { code?: string }).code).toBe('model_not_found');
  });

  it('invalid body → 400 naming the param', async () => {
    const err = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as { param?: string }).param).toBe('messages');
  });

  it('never forwards the client key; sends the provider key', async () => {
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    const logged = h.sims.openai.requests.at(-1);
    expect(logged?.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(logged?.headers)).not.toContain('sk-client-key');
  });

  it('GET /v1/models lists aliases and provider models', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(['smart', 'openai/gpt-4o-mini']));
  });
});
