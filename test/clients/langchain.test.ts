// LangChain JS (ChatOpenAI, ChatAnthropic) against the gateway, per provider: invoke, stream with usage,
// bindTools (forced and a second turn with the result), withStructuredOutput with every method, errors.
import { ChatAnthropic } from '@langchain/anthropic';
import { type AIMessageChunk, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ClientBed, EMBEDDING_MODELS, MODEL_OF, PROVIDERS, RATE_LIMITED, startClientBed } from './support.js';

let bed: ClientBed;
beforeAll(async () => {
  bed = await startClientBed();
});
afterAll(() => bed?.close());

const Weather = z.object({ city: z.string(), celsius: z.number().int(), conditions: z.enum(['sun', 'rain']) });
const weather = tool(async ({ city }: { city: string }) => `${city}: 21 C`, {
  name: 'get_weather',
  description: 'Weather for a city',
  schema: z.object({ city: z.string() }),
});
// jsonMode sends no schema: as with a real model, the prompt says what JSON to produce.
const jsonPrompt = [
  new SystemMessage(`Answer in JSON matching this JSON Schema: ${JSON.stringify(z.toJSONSchema(Weather))}`),
  new HumanMessage('Weather in Paris'),
];

type Chat = ChatOpenAI | ChatAnthropic;
const CLIENTS: Record<string, (model: string, key?: string) => Chat> = {
  ChatOpenAI: (model, key) =>
    new ChatOpenAI({ model, apiKey: key ?? bed.key, configuration: { baseURL: bed.baseURL }, maxRetries: 0 }),
  ChatAnthropic: (model, key) =>
    new ChatAnthropic({ model, apiKey: key ?? bed.key, anthropicApiUrl: bed.url, maxRetries: 0 }),
};
const METHODS = {
  ChatOpenAI: ['functionCalling', 'jsonMode', 'jsonSchema'],
  ChatAnthropic: ['functionCalling', 'jsonSchema'],
} as const;

describe.each(Object.keys(CLIENTS))('LangChain %s', (clientName) => {
  const make = CLIENTS[clientName] as (model: string, key?: string) => Chat;

  describe.each(PROVIDERS)('→ %s', (provider) => {
    const model = MODEL_OF[provider];

    it('invoke: text and usage_metadata', async () => {
      const msg = await make(model).invoke('Say hi');
      expect(String(msg.content)).toMatch(/\w+/);
      expect(msg.usage_metadata?.input_tokens).toBeGreaterThan(0);
      expect(msg.usage_metadata?.output_tokens).toBeGreaterThan(0);
    });

    it('stream: chunks concatenate, usage has input and output tokens', async () => {
      const chat =
        clientName === 'ChatOpenAI'
          ? new ChatOpenAI({
              model,
              apiKey: bed.key,
              configuration: { baseURL: bed.baseURL },
              streamUsage: true,
              maxRetries: 0,
            })
          : make(model);
      let full: AIMessageChunk | undefined;
      for await (const chunk of await chat.stream('Say hi')) full = full ? full.concat(chunk) : chunk;
      expect(String(full?.content)).toMatch(/\w+/);
      expect(full?.usage_metadata?.input_tokens).toBeGreaterThan(0);
      expect(full?.usage_metadata?.output_tokens).toBeGreaterThan(0);
    });

    it('bindTools (forced), then a second turn with the ToolMessage', async () => {
      const chat = make(model).bindTools([weather], { tool_choice: 'get_weather' });
      const ask = new HumanMessage('Weather in Paris?');
      const first = await chat.invoke([ask]);
      const call = first.tool_calls?.[0];
      expect(call?.name).toBe('get_weather');
      expect(call?.args).toMatchObject({ city: expect.any(String) });
      const result = new ToolMessage({
        tool_call_id: call?.id ?? '',
        content: await weather.invoke(call?.args as { city: string }),
      });
      const second = await make(model).bindTools([weather]).invoke([ask, first, result]);
      expect(second.tool_calls ?? []).toHaveLength(0);
      expect(String(second.content)).toMatch(/\w+/);
    });

    it('streamed tool call: chunks assemble to a complete call', async () => {
      const chat = make(model).bindTools([weather], { tool_choice: 'any' });
      let full: AIMessageChunk | undefined;
      for await (const chunk of await chat.stream('Weather in Paris?')) full = full ? full.concat(chunk) : chunk;
      expect(full?.tool_calls?.[0]?.name).toBe('get_weather');
      expect(full?.tool_calls?.[0]?.args).toMatchObject({ city: expect.any(String) });
    });

    it.each([...METHODS[clientName as keyof typeof METHODS]])('withStructuredOutput method %s', async (method) => {
      const structured = make(model).withStructuredOutput(Weather, { method });
      const out = await structured.invoke(method === 'jsonMode' ? jsonPrompt : 'Weather in Paris');
      expect(Weather.parse(out)).toEqual(out);
    });

    it('a 429 upstream is an error with status 429', async () => {
      const err = await make(RATE_LIMITED[provider])
        .invoke('hi')
        .catch((e: unknown) => e);
      expect((err as { status?: number }).status).toBe(429);
    });
  });

  it('errors: unknown route 404, wrong key 401', async () => {
    const nf = await make('nosuchprovider/x')
      .invoke('hi')
      .catch((e: unknown) => e);
    expect((nf as { status?: number }).status).toBe(404);
    const auth = await make(MODEL_OF.openai, 'sk-sy-wrong')
      .invoke('hi')
      .catch((e: unknown) => e);
    expect((auth as { status?: number }).status).toBe(401);
  });
});

describe('LangChain OpenAIEmbeddings', () => {
  it.each(Object.entries(EMBEDDING_MODELS))('embedDocuments / embedQuery → %s', async (_p, model) => {
    const emb = new OpenAIEmbeddings({
      model,
      apiKey: bed.key,
      configuration: { baseURL: bed.baseURL },
      maxRetries: 0,
    });
    const docs = await emb.embedDocuments(['a', 'b']);
    expect(docs).toHaveLength(2);
    expect((await emb.embedQuery('q')).length).toBeGreaterThan(8);
  });
});
