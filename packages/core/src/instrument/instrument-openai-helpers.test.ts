// The openai SDK's helpers — chat.completions.parse / .stream() / .runTools(), responses.parse / .stream() — make
// their request through `this._client`, the client they were built on. Through an instrument()ed client each of
// them is still one recorded call per request the helper makes, and its own result is unchanged.
import { type Simulator, startSimulator } from '@switchyard/simulators';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { harness, waitFor } from '../test-support/harness.js';
import { instrument } from './instrument.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ provider: 'openai', port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const scenario = (s: object) => ({ headers: { 'x-sim-scenario': JSON.stringify(s) } });
const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
const citySchema = {
  type: 'object',
  properties: { city: { type: 'string' }, celsius: { type: 'integer' } },
  required: ['city', 'celsius'],
  additionalProperties: false,
};

function setup() {
  const h = harness();
  const bare = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 });
  return { ...h, bare, client: instrument(bare, h.options) };
}

describe('instrument(openai): the SDK helpers are recorded', () => {
  beforeEach(() => sim.reset());

  it('chat.completions.parse: the parsed answer as without instrument(), one record with usage and cost', async () => {
    const { client, bare, records, exporter } = setup();
    const body = {
      model: 'gpt-4o-mini',
      messages,
      response_format: {
        type: 'json_schema' as const,
        json_schema: { name: 'city', schema: citySchema, strict: true },
      },
    };
    const got = await client.chat.completions.parse(body, scenario({ outputTokens: 12 }));
    const want = await bare.chat.completions.parse(body, scenario({ outputTokens: 12 }));
    expect(got.choices[0]?.message.parsed).toEqual(want.choices[0]?.message.parsed);
    expect(got.choices[0]?.message.parsed).toMatchObject({ city: expect.any(String) });
    await waitFor(records, 1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      operation: 'chat',
      requestModel: 'gpt-4o-mini',
      streaming: false,
      outcome: 'ok',
      usage: { outputTokens: got.usage?.completion_tokens, inputTokens: got.usage?.prompt_tokens, source: 'provider' },
    });
    expect(records[0]?.cost?.totalNanos).toBeGreaterThan(0n);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['chat gpt-4o-mini']);
  });

  it('chat.completions.stream(): finalChatCompletion unchanged, one streamed record with first-chunk time', async () => {
    const { client, records } = setup();
    const stream = client.chat.completions.stream(
      { model: 'gpt-4o-mini', messages, stream_options: { include_usage: true } },
      scenario({ outputTokens: 9, chunks: 3 }),
    );
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content?.split(' ')).toHaveLength(9);
    await waitFor(records, 1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ operation: 'chat', streaming: true, outcome: 'ok' });
    expect(records[0]?.usage).toMatchObject({ outputTokens: 9, source: 'provider' });
    expect(records[0]?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });

  it('chat.completions.runTools: every request of the tool loop is one record', async () => {
    const { client, records } = setup();
    const calls: unknown[] = [];
    const runner = client.chat.completions.runTools({
      model: 'gpt-4o-mini',
      messages,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'The weather in a city today',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
            function: (args: unknown) => {
              calls.push(args);
              return 'sunny, 21 °C';
            },
            parse: JSON.parse,
          },
        },
      ],
    });
    const content = await runner.finalContent();
    expect(typeof content).toBe('string');
    expect(calls).toHaveLength(1); // the simulator calls the tool once, then answers after its result
    await waitFor(records, 2);
    expect(records.map((r) => [r.operation, r.outcome, r.finishReasons])).toEqual([
      ['chat', 'ok', ['tool_calls']],
      ['chat', 'ok', ['stop']],
    ]);
  });

  it('responses.parse and responses.stream(): one record each, operation responses', async () => {
    const { client, records } = setup();
    const parsed = await client.responses.parse(
      {
        model: 'gpt-4.1',
        input: 'What is the weather in Paris?',
        text: { format: { type: 'json_schema', name: 'city', schema: citySchema, strict: true } },
      },
      scenario({ outputTokens: 8 }),
    );
    expect(parsed.output_parsed).toMatchObject({ city: expect.any(String) });
    const stream = client.responses.stream({ model: 'gpt-4.1', input: 'Tell a story' }, scenario({ outputTokens: 6 }));
    const final = await stream.finalResponse();
    expect(final.output_text.split(' ')).toHaveLength(6);
    await waitFor(records, 2);
    expect(records.map((r) => [r.operation, r.streaming, r.outcome, r.usage?.source])).toEqual([
      ['responses', false, 'ok', 'provider'],
      ['responses', true, 'ok', 'provider'],
    ]);
    expect(records[1]?.usage?.outputTokens).toBe(6);
  });

  it('the client the helpers were built on is left as it was: the bare client records nothing', async () => {
    const { bare, records } = setup();
    await bare.chat.completions.parse({ model: 'gpt-4o-mini', messages });
    await bare.chat.completions.stream({ model: 'gpt-4o-mini', messages }).finalChatCompletion();
    await new Promise((r) => setTimeout(r, 50));
    expect(records).toHaveLength(0);
  });
});
