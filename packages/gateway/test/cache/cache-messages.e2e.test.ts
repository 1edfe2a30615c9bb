// The response cache on /v1/messages, driven by the official Anthropic SDK: streams stored and replayed as the
// real Anthropic event sequence (the SDK's own accumulator must rebuild the same message), JSON ⇄ stream sharing
// one entry, tool_use input intact — for the pass-through (Anthropic) and translated (OpenAI, Gemini) paths.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetSims } from '../helpers.js';
import { type CacheHarness, startCacheHarness } from './harness.js';

let h: CacheHarness;
let client: Anthropic;
let n = 0;
const fresh = (what: string) => `${what} #${++n} ${Date.now()}`;

beforeAll(async () => {
  h = await startCacheHarness({ mode: 'all' });
  client = new Anthropic({ apiKey: h.keys.alpha.secret, baseURL: h.gw.url, maxRetries: 0 });
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
  'messages via %s',
  (model) => {
    it('a completed stream is stored; replayed as events the SDK rebuilds into the same message, and as JSON', async () => {
      const params = { model, max_tokens: 64, messages: [{ role: 'user' as const, content: fresh('story') }] };
      const live = await client.messages.stream(params).finalMessage();
      const calls = h.upstreamCalls();
      const replay = client.messages.stream(params);
      const types: string[] = [];
      for await (const ev of replay) types.push(ev.type);
      const replayed = await replay.finalMessage();
      expect(h.upstreamCalls()).toBe(calls);
      expect(types[0]).toBe('message_start');
      expect(types.at(-2)).toBe('message_delta');
      expect(types.at(-1)).toBe('message_stop');
      expect(replayed.content).toEqual(live.content);
      expect(replayed.stop_reason).toBe(live.stop_reason);
      expect(replayed.usage.output_tokens).toBe(live.usage.output_tokens);
      expect(replayed.usage.input_tokens).toBe(live.usage.input_tokens);
      const { data, response } = await client.messages.create(params).withResponse();
      expect(response.headers.get('x-switchyard-cache')).toBe('hit');
      expect(data.content).toEqual(live.content);
      expect(h.upstreamCalls()).toBe(calls);
    });

    it('JSON stored, replayed as a stream; tool_use input intact', async () => {
      const params = {
        model,
        max_tokens: 128,
        tools,
        tool_choice: { type: 'tool' as const, name: 'get_weather' },
        messages: [{ role: 'user' as const, content: fresh('Weather in Paris?') }],
      };
      const json = await client.messages.create(params);
      const block = json.content.find((b) => b.type === 'tool_use');
      expect(block?.type === 'tool_use' && block.name).toBe('get_weather');
      const calls = h.upstreamCalls();
      const replay = client.messages.stream(params);
      const final = await replay.finalMessage();
      expect(h.upstreamCalls()).toBe(calls);
      expect(final.content).toEqual(json.content);
      expect(final.stop_reason).toBe('tool_use');
      expect(final.usage.output_tokens).toBe(json.usage.output_tokens);
    });
  },
);

it('two keys never share /v1/messages entries', async () => {
  const params = {
    model: 'anthropic/claude-sonnet-4-5',
    max_tokens: 32,
    messages: [{ role: 'user' as const, content: fresh('x') }],
  };
  await client.messages.create(params);
  const other = new Anthropic({ apiKey: h.keys.beta.secret, baseURL: h.gw.url, maxRetries: 0 });
  const { response } = await other.messages.create(params).withResponse();
  expect(response.headers.get('x-switchyard-cache')).toBe('miss');
});

it('a stream ended by an in-stream error event is not stored', async () => {
  const params = {
    model: 'anthropic/claude-sonnet-4-5',
    max_tokens: 64,
    messages: [{ role: 'user' as const, content: fresh('err') }],
  };
  h.sims.anthropic.setScenario({ fault: { kind: 'stream_error_event', afterChunks: 2 } });
  await expect(client.messages.stream(params).finalMessage()).rejects.toThrow();
  h.sims.anthropic.setScenario(undefined);
  const { response } = await client.messages.create(params).withResponse();
  expect(response.headers.get('x-switchyard-cache')).toBe('miss');
});
