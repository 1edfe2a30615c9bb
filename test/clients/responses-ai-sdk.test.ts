// Vercel AI SDK with its default OpenAI provider — `createOpenAI({ baseURL })(id)` calls the Responses API —
// against a real gateway, for openai/…, anthropic/… and gemini/… models: generateText, streamText (usage),
// multi-step tools with results, generateObject / streamObject.
import { createOpenAI } from '@ai-sdk/openai';
import { generateObject, generateText, stepCountIs, streamObject, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bodiesSince, CLIENT_KEY, type ClientGateway, MODELS, providerOf, startClientGateway } from './support.js';

let g: ClientGateway;
let openai: ReturnType<typeof createOpenAI>;

beforeAll(async () => {
  g = await startClientGateway();
  openai = createOpenAI({ baseURL: `${g.url}/v1`, apiKey: CLIENT_KEY });
});
afterAll(() => g.close());

const weather = tool({
  description: 'Weather for a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, tempC: 21 }),
});

describe.each(MODELS)('AI SDK (Responses API) → %s', (model) => {
  it('generateText: text, usage, finish reason, served by the right provider', async () => {
    const res = await generateText({ model: openai(model), prompt: 'Say hello', maxRetries: 0 });
    expect(res.text.length).toBeGreaterThan(0);
    expect(res.finishReason).toBe('stop');
    expect(res.usage.inputTokens).toBeGreaterThan(0);
    expect(res.usage.outputTokens).toBeGreaterThan(0);
    expect(res.usage.totalTokens).toBe((res.usage.inputTokens ?? 0) + (res.usage.outputTokens ?? 0));
    expect(res.response.headers?.['x-switchyard-provider']).toBe(providerOf(model));
  });

  it('streamText: text deltas and final usage equal to generateText', async () => {
    const prompt = 'Tell a short story';
    const json = await generateText({ model: openai(model), prompt, maxRetries: 0 });
    const res = streamText({ model: openai(model), prompt, maxRetries: 0 });
    let text = '';
    let deltas = 0;
    for await (const d of res.textStream) {
      text += d;
      deltas++;
    }
    expect(deltas).toBeGreaterThan(1);
    expect(text).toBe(json.text);
    const usage = await res.usage;
    expect(usage.inputTokens).toBe(json.usage.inputTokens);
    expect(usage.outputTokens).toBe(json.usage.outputTokens);
  });

  it('tools: multi-step — the call runs, its result goes back, the model answers', async () => {
    const from = g.sims[providerOf(model)].requests.length;
    const res = await generateText({
      model: openai(model),
      prompt: 'What is the weather in Paris?',
      tools: { weather },
      stopWhen: stepCountIs(3),
      // The simulated model calls a tool whenever it may: forbid it after the first step to get the answer.
      prepareStep: ({ stepNumber }) => (stepNumber > 0 ? { toolChoice: 'none' } : {}),
      maxRetries: 0,
    });
    expect(res.steps).toHaveLength(2);
    const call = res.steps[0]?.toolCalls[0];
    expect(call?.toolName).toBe('weather');
    expect(typeof ((call?.input ?? {}) as { city?: unknown }).city).toBe('string');
    expect(res.steps[0]?.toolResults[0]?.output).toMatchObject({ tempC: 21 });
    expect(res.text.length).toBeGreaterThan(0);
    // The second upstream request carried the tool result in the provider's own format.
    const sent = JSON.stringify(bodiesSince(g.sims, model, from).at(-1));
    expect(sent).toContain('tempC');
  });

  it('streamText with tools: streamed tool call and result', async () => {
    const res = streamText({
      model: openai(model),
      prompt: 'Weather in Rome?',
      tools: { weather },
      stopWhen: stepCountIs(2),
      prepareStep: ({ stepNumber }) => (stepNumber > 0 ? { toolChoice: 'none' } : {}),
      maxRetries: 0,
    });
    const kinds = new Set<string>();
    for await (const part of res.fullStream) kinds.add(part.type);
    expect(kinds.has('tool-call')).toBe(true);
    expect(kinds.has('tool-result')).toBe(true);
    expect(kinds.has('text-delta')).toBe(true);
    expect((await res.totalUsage).outputTokens).toBeGreaterThan(0);
  });

  it('multi-turn: the previous turn comes back as item_reference (store: true is the default) and resolves', async () => {
    const first = await generateText({ model: openai(model), prompt: 'My name is Ada.', maxRetries: 0 });
    const from = g.sims[providerOf(model)].requests.length;
    const second = await generateText({
      model: openai(model),
      messages: [
        { role: 'user', content: 'My name is Ada.' },
        ...first.response.messages,
        { role: 'user', content: 'What is my name?' },
      ],
      maxRetries: 0,
    });
    expect(second.text.length).toBeGreaterThan(0);
    const sent = JSON.stringify(bodiesSince(g.sims, model, from).at(-1));
    // OpenAI holds its own items (the reference passes through); other providers get the stored text inlined.
    if (providerOf(model) === 'openai') expect(sent).toContain('item_reference');
    else expect(sent).toContain(first.text);
  });

  const schema = z.object({ name: z.string(), population: z.number().int() });

  it('generateObject: a schema-valid object', async () => {
    const res = await generateObject({ model: openai(model), schema, prompt: 'A city', maxRetries: 0 });
    expect(schema.safeParse(res.object).success).toBe(true);
    expect(res.usage.outputTokens).toBeGreaterThan(0);
  });

  it('streamObject: partial objects, then a schema-valid object', async () => {
    const res = streamObject({ model: openai(model), schema, prompt: 'A city', maxRetries: 0 });
    let partials = 0;
    for await (const _ of res.partialObjectStream) partials++;
    expect(partials).toBeGreaterThan(0);
    expect(schema.safeParse(await res.object).success).toBe(true);
  });
});
