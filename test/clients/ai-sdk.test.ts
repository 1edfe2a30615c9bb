// Vercel AI SDK 6 against the gateway, per provider, through three providers of the SDK: @ai-sdk/openai
// (`.chat(id)`: Chat Completions), @ai-sdk/openai-compatible and @ai-sdk/anthropic (/v1/messages).
// generateText, streamText (usage), tools (forced, auto, multi-step with results), generateObject,
// streamObject, embed, and errors.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  APICallError,
  embed,
  embedMany,
  generateObject,
  generateText,
  type LanguageModel,
  stepCountIs,
  streamObject,
  streamText,
  tool,
} from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ClientBed, EMBEDDING_MODELS, MODEL_OF, PROVIDERS, RATE_LIMITED, startClientBed } from './support.js';

let bed: ClientBed;
type Factory = (id: string) => LanguageModel;
const clients: Record<string, Factory> = {};
beforeAll(async () => {
  bed = await startClientBed();
  const openai = createOpenAI({ baseURL: bed.baseURL, apiKey: bed.key });
  const compatible = createOpenAICompatible({
    name: 'switchyard',
    baseURL: bed.baseURL,
    apiKey: bed.key,
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
  const anthropic = createAnthropic({ baseURL: bed.baseURL, apiKey: bed.key });
  clients['openai.chat'] = (id) => openai.chat(id);
  clients['openai-compatible'] = (id) => compatible.chatModel(id);
  clients.anthropic = (id) => anthropic(id);
});
afterAll(() => bed?.close());

const CLIENTS = ['openai.chat', 'openai-compatible', 'anthropic'] as const;
const Weather = z.object({ city: z.string(), celsius: z.number().int(), conditions: z.enum(['sun', 'rain']) });
const weather = tool({
  description: 'Weather for a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});

describe.each(CLIENTS)('AI SDK %s', (clientName) => {
  describe.each(PROVIDERS)('→ %s', (provider) => {
    const model = () => (clients[clientName] as Factory)(MODEL_OF[provider]);

    it('generateText: text and usage', async () => {
      const r = await generateText({ model: model(), prompt: 'Say hi', maxRetries: 0 });
      expect(r.text).toMatch(/\w+/);
      expect(r.usage.inputTokens).toBeGreaterThan(0);
      expect(r.usage.outputTokens).toBeGreaterThan(0);
      expect(r.finishReason).toBe('stop');
    });

    it('streamText: deltas and usage', async () => {
      const r = streamText({ model: model(), prompt: 'Say hi', maxRetries: 0 });
      let text = '';
      for await (const d of r.textStream) text += d;
      expect(text).toMatch(/\w+/);
      const usage = await r.usage;
      expect(usage.inputTokens).toBeGreaterThan(0);
      expect(usage.outputTokens).toBeGreaterThan(0);
    });

    it('forced tool: toolChoice names the tool', async () => {
      const r = await generateText({
        model: model(),
        prompt: 'Weather in Paris?',
        tools: { weather },
        toolChoice: { type: 'tool', toolName: 'weather' },
        maxRetries: 0,
      });
      expect(r.toolCalls[0]?.toolName).toBe('weather');
      expect(r.toolResults[0]?.output).toMatchObject({ celsius: 21 });
    });

    it('multi-step: auto tool call, result fed back, final text', async () => {
      const r = await generateText({
        model: model(),
        prompt: 'Weather in Paris?',
        tools: { weather },
        stopWhen: stepCountIs(4),
        maxRetries: 0,
      });
      expect(r.steps.length).toBe(2);
      expect(r.steps[0]?.toolCalls[0]?.toolName).toBe('weather');
      expect(r.text).toMatch(/\w+/);
    });

    it('streamed tool call: streamText with tools, multi-step', async () => {
      const r = streamText({
        model: model(),
        prompt: 'Weather in Paris?',
        tools: { weather },
        stopWhen: stepCountIs(3),
        maxRetries: 0,
      });
      const types = new Set<string>();
      for await (const part of r.fullStream) types.add(part.type);
      expect(types).toContain('tool-call');
      expect(types).toContain('tool-result');
      expect(await r.text).toMatch(/\w+/);
    });

    it('generateObject: a schema-valid object', async () => {
      const r = await generateObject({ model: model(), schema: Weather, prompt: 'Weather in Paris', maxRetries: 0 });
      expect(Weather.parse(r.object)).toEqual(r.object);
    });

    it('streamObject: partials, then a schema-valid object', async () => {
      const r = streamObject({ model: model(), schema: Weather, prompt: 'Weather in Paris', maxRetries: 0 });
      let partials = 0;
      for await (const _ of r.partialObjectStream) partials++;
      expect(partials).toBeGreaterThan(0);
      expect(Weather.parse(await r.object)).toBeTruthy();
    });

    it('a 429 upstream surfaces as APICallError 429 (not retried to a 503)', async () => {
      const err = await generateText({
        model: (clients[clientName] as Factory)(RATE_LIMITED[provider]),
        prompt: 'hi',
        maxRetries: 0,
      }).catch((e: unknown) => e);
      expect(APICallError.isInstance(err)).toBe(true);
      expect((err as APICallError).statusCode).toBe(429);
      expect(Number((err as APICallError).responseHeaders?.['retry-after'])).toBeGreaterThan(0);
    });
  });

  it('errors: unknown route 404, wrong key 401', async () => {
    const nf = await generateText({
      model: (clients[clientName] as Factory)('nosuchprovider/x'),
      prompt: 'hi',
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect((nf as APICallError).statusCode).toBe(404);
    const wrong =
      clientName === 'anthropic'
        ? createAnthropic({ baseURL: bed.baseURL, apiKey: 'sk-sy-wrong' })(MODEL_OF.openai)
        : createOpenAI({ baseURL: bed.baseURL, apiKey: 'sk-sy-wrong' }).chat(MODEL_OF.openai);
    const auth = await generateText({ model: wrong, prompt: 'hi', maxRetries: 0 }).catch((e: unknown) => e);
    expect((auth as APICallError).statusCode).toBe(401);
  });
});

describe('AI SDK embeddings', () => {
  it.each(Object.entries(EMBEDDING_MODELS))('embed / embedMany → %s', async (_p, id) => {
    const openai = createOpenAI({ baseURL: bed.baseURL, apiKey: bed.key });
    const one = await embed({ model: openai.embedding(id), value: 'hello', maxRetries: 0 });
    expect(one.embedding.length).toBeGreaterThan(8);
    const many = await embedMany({ model: openai.embedding(id), values: ['a', 'b', 'c'], maxRetries: 0 });
    expect(many.embeddings).toHaveLength(3);
  });

  it('openai-compatible embeddings work too; Anthropic models answer a clear 400', async () => {
    const compatible = createOpenAICompatible({ name: 'switchyard', baseURL: bed.baseURL, apiKey: bed.key });
    const r = await embed({ model: compatible.textEmbeddingModel(EMBEDDING_MODELS.openai), value: 'x', maxRetries: 0 });
    expect(r.embedding.length).toBeGreaterThan(8);
    const err = await embed({
      model: compatible.textEmbeddingModel(MODEL_OF.anthropic),
      value: 'x',
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect((err as APICallError).statusCode).toBe(400);
    expect((err as APICallError).message).toMatch(/embedding/i);
  });
});
