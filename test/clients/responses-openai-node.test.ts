// openai-node 6 Responses helpers against a real gateway, for openai/…, anthropic/… and gemini/… models:
// responses.create, responses.stream (events + finalResponse), responses.parse (zodTextFormat, zodResponsesFunction).
import OpenAI from 'openai';
import { zodResponsesFunction, zodTextFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CLIENT_KEY, type ClientGateway, MODELS, providerOf, startClientGateway } from './support.js';

let g: ClientGateway;
let client: OpenAI;
beforeAll(async () => {
  g = await startClientGateway();
  client = new OpenAI({ baseURL: `${g.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(() => g.close());

const City = z.object({ name: z.string(), population: z.number().int() });
const GetWeather = zodResponsesFunction({
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: z.object({ city: z.string() }),
});

describe.each(MODELS)('openai-node responses → %s', (model) => {
  it('responses.create: output_text, usage, headers', async () => {
    const { data, response } = await client.responses
      .create({ model, instructions: 'Be brief', input: 'Say hello', max_output_tokens: 100, temperature: 0.2 })
      .withResponse();
    expect(data.output_text.length).toBeGreaterThan(0);
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe(providerOf(model));
  });

  it('responses.stream: text delta events and a final response with usage', async () => {
    const stream = client.responses.stream({ model, input: 'Tell a story' });
    let text = '';
    stream.on('response.output_text.delta', (e) => {
      text += e.delta;
    });
    const final = await stream.finalResponse();
    expect(text).toBe(final.output_text);
    expect(final.status).toBe('completed');
    expect(final.usage?.output_tokens).toBeGreaterThan(0);
  });

  it('responses.parse with zodTextFormat: output_parsed matches the schema', async () => {
    const res = await client.responses.parse({ model, input: 'A city', text: { format: zodTextFormat(City, 'city') } });
    expect(City.safeParse(res.output_parsed).success).toBe(true);
  });

  it('responses.parse with zodResponsesFunction: parsed_arguments, then the result continues', async () => {
    const res = await client.responses.parse({
      model,
      input: 'Weather in Paris?',
      tools: [GetWeather],
      tool_choice: { type: 'function', name: 'get_weather' },
    });
    const call = res.output.find((o) => o.type === 'function_call');
    if (call?.type !== 'function_call') throw new Error('expected a function_call');
    expect(typeof (call.parsed_arguments as { city?: unknown }).city).toBe('string');
    const next = await client.responses.create({
      model,
      input: [
        { role: 'user', content: 'Weather in Paris?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: '18C' },
      ],
    });
    expect(next.output_text.length).toBeGreaterThan(0);
  });

  it('an unknown provider → 404 NotFoundError with code model_not_found', async () => {
    const err = await client.responses.create({ model: 'nope/x', input: 'hi' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as { code?: string }).code).toBe('model_not_found');
  });
});
