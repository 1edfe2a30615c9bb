// openai-node (v6) against the gateway, per provider: create, stream with usage, tools, the helpers
// (`chat.completions.parse`, `.stream`, `runTools`), embeddings, models, and errors.
import OpenAI from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ClientBed, EMBEDDING_MODELS, MODEL_OF, PROVIDERS, RATE_LIMITED, startClientBed } from './support.js';

let bed: ClientBed;
let client: OpenAI;
beforeAll(async () => {
  bed = await startClientBed();
  client = new OpenAI({ baseURL: bed.baseURL, apiKey: bed.key, maxRetries: 0 });
});
afterAll(() => bed?.close());

const Weather = z.object({ city: z.string(), celsius: z.number().int(), conditions: z.enum(['sun', 'rain']) });
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe.each(PROVIDERS)('openai-node → %s', (provider) => {
  const model = MODEL_OF[provider];

  it('chat.completions.create: text, usage and the served model', async () => {
    const res = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Say hi' }] });
    expect(res.choices[0]?.message.content).toMatch(/\w+/);
    expect(res.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(res.model).toBe(model);
  });

  it('stream with include_usage: deltas then a usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Say hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    const models = new Set<string>();
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
      models.add(chunk.model);
    }
    expect(text).toMatch(/\w+/);
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect([...models]).toEqual([model]);
  });

  it('forced tool call, then a second turn with the result', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({
      model,
      messages,
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') return;
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toMatchObject({ city: expect.any(String) });
    messages.push(first.choices[0]?.message as OpenAI.ChatCompletionMessageParam);
    messages.push({ role: 'tool', tool_call_id: call.id, content: '{"celsius":21}' });
    const second = await client.chat.completions.create({ model, messages, tools: [weatherTool] });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toMatch(/\w+/);
  });

  it('chat.completions.stream helper: streamed tool call arguments assemble to valid JSON', async () => {
    const stream = client.chat.completions.stream({
      model,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
      tool_choice: 'required',
    });
    const done = await stream.finalChatCompletion();
    const calls = done.choices[0]?.message.tool_calls ?? [];
    expect(calls).toHaveLength(1);
    const call = calls[0];
    if (call?.type !== 'function') throw new Error('no function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toMatchObject({ city: expect.any(String) });
  });

  it('chat.completions.parse with zodResponseFormat: parsed object validates', async () => {
    const res = await client.chat.completions.parse({
      model,
      messages: [{ role: 'user', content: 'Weather in Paris as JSON' }],
      response_format: zodResponseFormat(Weather, 'weather'),
    });
    const parsed = res.choices[0]?.message.parsed;
    expect(Weather.parse(parsed)).toEqual(parsed);
  });

  it('chat.completions.parse with a zodFunction tool: parsed arguments', async () => {
    const res = await client.chat.completions.parse({
      model,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [zodFunction({ name: 'report', parameters: Weather })],
      tool_choice: 'required',
    });
    const call = res.choices[0]?.message.tool_calls?.[0];
    expect(Weather.parse(call?.function.parsed_arguments)).toBeTruthy();
  });

  it('runTools: calls the tool, feeds the result back, ends with text', async () => {
    let calls = 0;
    const runner = client.chat.completions.runTools({
      model,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: weatherTool.function.parameters,
            function: (args: { city: string }) => {
              calls++;
              return { city: args.city, celsius: 21 };
            },
            parse: JSON.parse,
          },
        },
      ],
    });
    const content = await runner.finalContent();
    expect(calls).toBe(1);
    expect(content).toMatch(/\w+/);
    expect(runner.messages.some((m) => m.role === 'tool')).toBe(true);
  });

  it('an unknown route is a 404 in OpenAI format', async () => {
    const err = await client.chat.completions
      .create({ model: 'nosuchprovider/x', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('an upstream 429 reaches the client as RateLimitError with retry-after', async () => {
    const err = await client.chat.completions
      .create({ model: RATE_LIMITED[provider], messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number((err as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('openai-node: keys, models, embeddings', () => {
  it('a wrong key is AuthenticationError (401)', async () => {
    const bad = new OpenAI({ baseURL: bed.baseURL, apiKey: 'sk-sy-wrong', maxRetries: 0 });
    const err = await bad.chat.completions
      .create({ model: MODEL_OF.openai, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(await bad.models.list().catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('models.list and models.retrieve (ids with a slash)', async () => {
    const list = await client.models.list();
    const ids = list.data.map((m) => m.id);
    expect(ids).toContain(MODEL_OF.openai);
    const one = await client.models.retrieve(MODEL_OF.openai);
    expect(one).toMatchObject({ id: MODEL_OF.openai, object: 'model' });
    expect(await client.models.retrieve('nosuchprovider/x').catch((e: unknown) => e)).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });

  it.each(Object.entries(EMBEDDING_MODELS))('embeddings.create → %s', async (provider, model) => {
    const res = await client.embeddings.create({ model, input: ['hello', 'world'] });
    expect(res.data).toHaveLength(2);
    expect(res.data[0]?.embedding.length).toBeGreaterThan(8);
    expect(res.model).toBe(model);
    // Gemini's embedding API reports no token counts (see docs/clients.md); OpenAI's does.
    if (provider === 'openai') expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    else expect(res.usage.prompt_tokens).toBeGreaterThanOrEqual(0);
  });

  it('embeddings on an Anthropic model: a clear 400', async () => {
    const err = await client.embeddings
      .create({ model: 'anthropic/claude-sonnet-4-5', input: 'hello' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((err as Error).message)).toMatch(/embedding/i);
  });
});
