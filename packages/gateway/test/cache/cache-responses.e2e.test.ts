// The response cache on /v1/responses, driven by the official OpenAI SDK: a completed stream stored and replayed
// as the Responses event sequence the SDK's stream helper rebuilds into the same response, JSON ⇄ stream sharing
// one entry, function calls intact, and a replayed response that can be continued with previous_response_id.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSims } from '../helpers.js';
import { type CacheHarness, startCacheHarness } from './harness.js';

let h: CacheHarness;
let client: OpenAI;
let n = 0;
const fresh = (what: string) => `${what} #${++n} ${Date.now()}`;

beforeAll(async () => {
  h = await startCacheHarness({ mode: 'all' });
  client = new OpenAI({ apiKey: h.keys.alpha.secret, baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => resetSims(h.sims));

const tools = [
  {
    type: 'function' as const,
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    strict: false,
  },
];

describe.each(['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'])(
  'responses via %s',
  (model) => {
    it('a completed stream is stored; replayed as events the SDK rebuilds, and as JSON', async () => {
      const params = { model, input: fresh('Tell a story'), max_output_tokens: 64 };
      const live = await client.responses.stream(params).finalResponse();
      const calls = h.upstreamCalls();
      const replay = client.responses.stream(params);
      const types: string[] = [];
      for await (const ev of replay) types.push(ev.type);
      const replayed = await replay.finalResponse();
      expect(h.upstreamCalls()).toBe(calls);
      expect(types[0]).toBe('response.created');
      expect(types.at(-1)).toBe('response.completed');
      expect(types).toContain('response.output_text.delta');
      expect(replayed.output_text).toBe(live.output_text);
      expect(replayed.usage?.output_tokens).toBe(live.usage?.output_tokens);
      expect((replayed.usage as { cost?: number }).cost).toBe(0);
      const { data, response } = await client.responses.create(params).withResponse();
      expect(response.headers.get('x-switchyard-cache')).toBe('hit');
      expect(data.output_text).toBe(live.output_text);
      expect(h.upstreamCalls()).toBe(calls);
    });

    it('JSON stored, replayed as a stream with the function call intact', async () => {
      const params = {
        model,
        input: fresh('Weather in Paris?'),
        tools,
        tool_choice: { type: 'function' as const, name: 'get_weather' },
      };
      const json = await client.responses.create(params);
      const call = json.output.find((i) => i.type === 'function_call');
      expect(call?.type === 'function_call' && call.name).toBe('get_weather');
      const calls = h.upstreamCalls();
      const final = await client.responses.stream(params).finalResponse();
      expect(h.upstreamCalls()).toBe(calls);
      // The SDK stream helper adds `parsed_arguments` to function calls; everything the server sent is equal.
      expect(final.output).toMatchObject(json.output);
    });
  },
);

it('a replayed response can be continued with previous_response_id', async () => {
  const params = { model: 'anthropic/claude-sonnet-4-5', input: fresh('Remember the number 7') };
  await client.responses.create(params);
  const { data: hit, response } = await client.responses.create(params).withResponse();
  expect(response.headers.get('x-switchyard-cache')).toBe('hit');
  const next = await client.responses.create({
    model: 'anthropic/claude-sonnet-4-5',
    previous_response_id: hit.id,
    input: fresh('Which number?'),
  });
  expect(next.status).toBe('completed');
});
