// Official `@anthropic-ai/sdk` → /v1/messages → Anthropic (pass-through), OpenAI and Gemini (translated).
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, resetSims, startHarness } from './helpers.js';

let h: Harness;
let client: Anthropic;

beforeAll(async () => {
  h = await startHarness();
  client = new Anthropic({ apiKey: 'sk-client-key', baseURL: h.gw.url, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => resetSims(h.sims));

const tools = [
  {
    name: 'get_weather',
    description: 'Weather for a city',
    input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
  },
];

describe.each(['anthropic/claude-sonnet-4-5', 'openai/gpt-4o-mini', 'gemini/gemini-2.5-flash'])(
  'anthropic SDK → %s',
  (model) => {
    const providerId = model.split('/')[0] as 'openai';

    it('message JSON with usage and switchyard headers', async () => {
      const { data, response } = await client.messages
        .create({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Say hello' }] })
        .withResponse();
      expect(data.type).toBe('message');
      expect(data.content[0]?.type).toBe('text');
      expect(data.usage.output_tokens).toBeGreaterThan(0);
      expect(data.stop_reason).toBe('end_turn');
      expect(response.headers.get('x-switchyard-provider')).toBe(providerId);
      expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeGreaterThan(0);
    });

    it('stream: full event sequence, same text as JSON, final usage', async () => {
      const params = { model, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Tell a story' }] };
      const json = await client.messages.create(params);
      const stream = client.messages.stream(params);
      const types: string[] = [];
      for await (const ev of stream) types.push(ev.type);
      const final = await stream.finalMessage();
      expect(types[0]).toBe('message_start');
      expect(types.at(-1)).toBe('message_stop');
      expect(final.content[0]?.type === 'text' && final.content[0].text).toBe(
        json.content[0]?.type === 'text' && json.content[0].text,
      );
      expect(final.usage.output_tokens).toBe(json.usage.output_tokens);
    });

    it('tools: tool_use block, streamed input_json_delta', async () => {
      const params = {
        model,
        max_tokens: 128,
        tools,
        messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
      };
      const json = await client.messages.create(params);
      expect(json.stop_reason).toBe('tool_use');
      const use = json.content.find((b) => b.type === 'tool_use');
      expect(use?.type === 'tool_use' && use.name).toBe('get_weather');
      const final = await client.messages.stream(params).finalMessage();
      const streamed = final.content.find((b) => b.type === 'tool_use');
      expect(streamed?.type === 'tool_use' && streamed.input).toEqual(use?.type === 'tool_use' && use.input);
    });

    it('upstream 429 → Anthropic-format RateLimitError naming the provider', async () => {
      h.sims[providerId].setScenario({ fault: { status: 429, code: 'rate_limit', retryAfterSeconds: 0 } });
      const err = await client.messages
        .create({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.RateLimitError);
      expect((err as { error?: { type?: string } }).error?.type).toBe('error');
      expect((err as Error).message).toContain(providerId);
    });
  },
);

describe('/v1/messages specifics', () => {
  it('pass-through forwards the body untouched except the model', async () => {
    await client.messages.create({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 32,
      metadata: { user_id: 'u-1' },
      messages: [{ role: 'user', content: 'hi' }],
    });
    const logged = h.sims.anthropic.requests.at(-1);
    expect(logged?.body).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 32,
      metadata: { user_id: 'u-1' },
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('x-api-key works as the client credential too', async () => {
    const res = await fetch(`${h.gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
  });

  it('missing max_tokens → Anthropic-format 400', async () => {
    const res = await fetch(`${h.gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('in-stream error before the first byte falls back (smart: anthropic → openai)', async () => {
    h.sims.anthropic.setScenario({ fault: { kind: 'stream_error_event', afterChunks: 0 } });
    const stream = client.messages.stream({
      model: 'smart',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]?.type).toBe('text');
    expect(h.sims.openai.requests.length).toBe(1);
  });
});
