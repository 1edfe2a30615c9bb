// LangChain JS `ChatOpenAI({ useResponsesApi: true })` against a real gateway, for openai/…, anthropic/… and
// gemini/… models: invoke, stream (usage), bindTools (and a tool result round trip), withStructuredOutput.
import { type AIMessage, HumanMessage, type ToolMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CLIENT_KEY, type ClientGateway, MODELS, startClientGateway } from './support.js';

let g: ClientGateway;
beforeAll(async () => {
  g = await startClientGateway();
});
afterAll(() => g.close());

const chat = (model: string) =>
  new ChatOpenAI({
    model,
    apiKey: CLIENT_KEY,
    configuration: { baseURL: `${g.url}/v1` },
    useResponsesApi: true,
    maxRetries: 0,
  });

const weather = tool(async ({ city }) => `18C in ${city}`, {
  name: 'get_weather',
  description: 'Weather for a city',
  schema: z.object({ city: z.string() }),
});

describe.each(MODELS)('LangChain ChatOpenAI (useResponsesApi) → %s', (model) => {
  it('invoke: text and usage_metadata', async () => {
    const msg = await chat(model).invoke('Say hello');
    expect(typeof msg.content === 'string' ? msg.content : msg.text).not.toBe('');
    expect(msg.text.length).toBeGreaterThan(0);
    expect(msg.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(msg.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(msg.usage_metadata?.total_tokens).toBe(
      (msg.usage_metadata?.input_tokens ?? 0) + (msg.usage_metadata?.output_tokens ?? 0),
    );
  });

  it('stream: several chunks, same text as invoke, usage on the stream', async () => {
    const prompt = 'Tell a short story';
    const full = await chat(model).invoke(prompt);
    let text = '';
    let chunks = 0;
    let usage: { input_tokens: number; output_tokens: number } | undefined;
    for await (const chunk of await chat(model).stream(prompt)) {
      text += chunk.text;
      chunks++;
      if (chunk.usage_metadata) usage = chunk.usage_metadata;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text).toBe(full.text);
    expect(usage?.input_tokens).toBe(full.usage_metadata?.input_tokens);
    expect(usage?.output_tokens).toBe(full.usage_metadata?.output_tokens);
  });

  it('bindTools: a tool call, then the tool result goes back and the model answers', async () => {
    const llm = chat(model).bindTools([weather], { tool_choice: 'get_weather' });
    const question = new HumanMessage('Weather in Paris?');
    const ai = (await llm.invoke([question])) as AIMessage;
    const call = ai.tool_calls?.[0];
    expect(call?.name).toBe('get_weather');
    expect(typeof call?.args.city).toBe('string');
    const result = await weather.invoke(call as never);
    const followUp = await chat(model).invoke([question, ai, result as ToolMessage]);
    expect(followUp.text.length).toBeGreaterThan(0);
  });

  it('bindTools in a stream: tool call chunks assemble to a complete call', async () => {
    const llm = chat(model).bindTools([weather], { tool_choice: 'get_weather' });
    let merged: AIMessage | undefined;
    for await (const chunk of await llm.stream('Weather in Rome?'))
      merged = merged ? (merged as never as { concat(c: unknown): AIMessage }).concat(chunk) : chunk;
    expect(merged?.tool_calls?.[0]?.name).toBe('get_weather');
    expect(typeof merged?.tool_calls?.[0]?.args.city).toBe('string');
  });

  const schema = z.object({ name: z.string(), population: z.number().int() });
  it.each(['jsonSchema', 'functionCalling'] as const)(
    'withStructuredOutput (%s): a schema-valid object',
    async (method) => {
      const out = await chat(model).withStructuredOutput(schema, { method }).invoke('A city');
      expect(schema.safeParse(out).success).toBe(true);
    },
  );

  it('withStructuredOutput (jsonMode): a JSON object (json_object mode carries no schema to honour)', async () => {
    const jsonSchema = { title: 'city', type: 'object', properties: { name: { type: 'string' } } };
    const out = await chat(model)
      .withStructuredOutput(jsonSchema, { method: 'jsonMode' })
      .invoke('A city as JSON with a name');
    expect(out !== null && typeof out === 'object' && !Array.isArray(out)).toBe(true);
  });
});
