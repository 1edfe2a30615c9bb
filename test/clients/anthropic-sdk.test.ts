// @anthropic-ai/sdk against the gateway's /v1/messages, per provider: create, messages.stream (usage),
// tools with a second turn, messages.parse (output_config.format), countTokens, beta toolRunner, errors.
import Anthropic from '@anthropic-ai/sdk';
import { betaZodTool } from '@anthropic-ai/sdk/helpers/beta/zod';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ClientBed, MODEL_OF, PROVIDERS, RATE_LIMITED, startClientBed } from './support.js';

let bed: ClientBed;
let client: Anthropic;
beforeAll(async () => {
  bed = await startClientBed();
  client = new Anthropic({ baseURL: bed.url, apiKey: bed.key, maxRetries: 0 });
});
afterAll(() => bed?.close());

const Weather = z.object({ city: z.string(), celsius: z.number().int(), conditions: z.enum(['sun', 'rain']) });
const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const ask = (content: string): Anthropic.MessageParam[] => [{ role: 'user', content }];

describe.each(PROVIDERS)('@anthropic-ai/sdk → %s', (provider) => {
  const model = MODEL_OF[provider];

  it('messages.create: text, usage, served model', async () => {
    const msg = await client.messages.create({ model, max_tokens: 256, messages: ask('Say hi') });
    expect(msg.content[0]?.type).toBe('text');
    expect(msg.usage.input_tokens).toBeGreaterThan(0);
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect(msg.model).toBe(model);
  });

  it('messages.stream: text deltas, input tokens in message_start, final usage', async () => {
    const stream = client.messages.stream({ model, max_tokens: 256, messages: ask('Say hi') });
    let startInput = -1;
    stream.on('streamEvent', (ev) => {
      if (ev.type === 'message_start') startInput = ev.message.usage.input_tokens;
    });
    const text = await stream.finalText();
    const final = await stream.finalMessage();
    expect(text).toMatch(/\w+/);
    expect(startInput).toBeGreaterThan(0);
    expect(final.usage.input_tokens).toBeGreaterThan(0);
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(final.model).toBe(model);
  });

  it('forced tool (tool_choice tool), then a second turn with the tool_result', async () => {
    const first = await client.messages.create({
      model,
      max_tokens: 256,
      messages: ask('Weather in Paris?'),
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
    });
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(use?.name).toBe('get_weather');
    expect(use?.input).toMatchObject({ city: expect.any(String) });
    expect(first.stop_reason).toBe('tool_use');
    const second = await client.messages.create({
      model,
      max_tokens: 256,
      tools: [weatherTool],
      messages: [
        ...ask('Weather in Paris?'),
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use?.id ?? '', content: '21 C, sunny' }] },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content.some((b) => b.type === 'text')).toBe(true);
  });

  it('streamed tool use (tool_choice any): input JSON assembles', async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 256,
      messages: ask('Weather in Paris?'),
      tools: [weatherTool],
      tool_choice: { type: 'any' },
    });
    const final = await stream.finalMessage();
    const use = final.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(use?.input).toMatchObject({ city: expect.any(String) });
  });

  it('messages.parse with zodOutputFormat (output_config.format): parsed_output validates', async () => {
    const msg = await client.messages.parse({
      model,
      max_tokens: 512,
      messages: ask('Weather in Paris as JSON'),
      output_config: { format: zodOutputFormat(Weather) },
    });
    expect(Weather.parse(msg.parsed_output)).toEqual(msg.parsed_output);
  });

  it('messages.countTokens: a positive count (estimated and flagged for non-Anthropic targets)', async () => {
    const { data, response } = await client.messages
      .countTokens({ model, messages: ask('How many tokens is this?') })
      .withResponse();
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-estimated')).toBe(provider === 'anthropic' ? null : 'true');
  });

  it('beta toolRunner: runs the zod tool and finishes with text', async () => {
    let ran = 0;
    const tool = betaZodTool({
      name: 'get_weather',
      description: 'Weather for a city',
      inputSchema: z.object({ city: z.string() }),
      run: async ({ city }) => {
        ran++;
        return `${city}: 21 C`;
      },
    });
    const final = await client.beta.messages.toolRunner({
      model,
      max_tokens: 256,
      max_iterations: 4,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [tool],
    });
    expect(ran).toBe(1);
    expect(final.content.some((b) => b.type === 'text')).toBe(true);
  });

  it('a 429 upstream is RateLimitError with retry-after', async () => {
    const err = await client.messages
      .create({ model: RATE_LIMITED[provider], max_tokens: 16, messages: ask('hi') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(Number((err as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after'))).toBeGreaterThan(
      0,
    );
  });
});

describe('@anthropic-ai/sdk errors', () => {
  it('unknown model route → NotFoundError; wrong key → AuthenticationError', async () => {
    const nf = await client.messages
      .create({ model: 'nosuchprovider/x', max_tokens: 16, messages: ask('hi') })
      .catch((e: unknown) => e);
    expect(nf).toBeInstanceOf(Anthropic.NotFoundError);
    const bad = new Anthropic({ baseURL: bed.url, apiKey: 'sk-sy-wrong', maxRetries: 0 });
    const auth = await bad.messages
      .create({ model: MODEL_OF.anthropic, max_tokens: 16, messages: ask('hi') })
      .catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
