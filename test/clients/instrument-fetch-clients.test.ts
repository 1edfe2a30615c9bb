// core's instrumentFetch() under the clients that take a `fetch`: the Vercel AI SDK (@ai-sdk/openai's Responses
// and Chat models, @ai-sdk/anthropic) and LangChain's ChatOpenAI and ChatAnthropic, straight against the simulators. Each call the
// client makes is one record, with the usage the client itself reports, and what the client returns is unchanged.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI } from '@langchain/openai';
import { generateText, type LanguageModel, streamText } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instrumentFetch } from '../../packages/core/src/index.js';
import type { CallRecord } from '../../packages/core/src/types.js';
import { type Simulator, startSimulator } from '../../packages/simulators/src/index.js';

let oai: Simulator;
let ant: Simulator;
const records: CallRecord[] = [];
let f: typeof fetch;
beforeAll(async () => {
  [oai, ant] = await Promise.all([
    startSimulator({ provider: 'openai', port: 0 }),
    startSimulator({ provider: 'anthropic', port: 0 }),
  ]);
  f = instrumentFetch(fetch, {
    sinks: [],
    onRecord: (r) => records.push(r),
    baseUrls: { [`${oai.url}/v1`]: 'openai', [ant.url]: 'anthropic' },
  });
});
afterAll(async () => {
  await Promise.all([oai?.close(), ant?.close()]);
});
beforeEach(() => {
  records.length = 0;
});

async function settled(n: number): Promise<CallRecord[]> {
  for (let i = 0; i < 500 && records.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  return records;
}

const models: Record<string, () => LanguageModel> = {
  'openai (Responses API)': () =>
    createOpenAI({ baseURL: `${oai.url}/v1`, apiKey: 'sk-test', fetch: f })('gpt-4o-mini'),
  'openai.chat (Chat Completions)': () =>
    createOpenAI({ baseURL: `${oai.url}/v1`, apiKey: 'sk-test', fetch: f }).chat('gpt-4o-mini'),
  anthropic: () => createAnthropic({ baseURL: `${ant.url}/v1`, apiKey: 'sk-ant-test', fetch: f })('claude-sonnet-4-5'),
};

describe.each(Object.keys(models))('instrumentFetch under the AI SDK, %s', (name) => {
  const model = () => (models[name] as () => LanguageModel)();

  it('generateText: one record with the usage the SDK reports, and a cost', async () => {
    const r = await generateText({ model: model(), prompt: 'Say hi', maxRetries: 0 });
    expect(r.text).toMatch(/\w+/);
    expect(r.usage.outputTokens).toBeGreaterThan(0);
    const [rec, ...more] = await settled(1);
    expect(more).toEqual([]);
    expect(rec).toMatchObject({ streaming: false, outcome: 'ok' });
    expect(rec?.usage).toMatchObject({ inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens });
    expect(rec?.cost?.totalNanos).toBeGreaterThan(0n);
  });

  it('streamText: one streamed record with first-chunk time and the usage the SDK reports', async () => {
    const s = streamText({ model: model(), prompt: 'Tell a story', maxRetries: 0 });
    let text = '';
    for await (const delta of s.textStream) text += delta;
    const usage = await s.usage;
    expect(text).toMatch(/\w+/);
    expect(usage.outputTokens).toBeGreaterThan(0);
    const [rec, ...more] = await settled(1);
    expect(more).toEqual([]);
    expect(rec).toMatchObject({ streaming: true, outcome: 'ok' });
    expect(rec?.usage).toMatchObject({ inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });
    expect(rec?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
  });
});

const langchain = {
  'ChatOpenAI (configuration.fetch)': () =>
    new ChatOpenAI({
      model: 'gpt-4o-mini',
      apiKey: 'sk-test',
      configuration: { baseURL: `${oai.url}/v1`, fetch: f },
      maxRetries: 0,
    }),
  'ChatAnthropic (clientOptions.fetch)': () =>
    new ChatAnthropic({
      model: 'claude-sonnet-4-5',
      apiKey: 'sk-ant-test',
      anthropicApiUrl: ant.url,
      clientOptions: { fetch: f },
      maxRetries: 0,
    }),
};

describe.each(Object.keys(langchain))('instrumentFetch under LangChain %s', (name) => {
  const chat = langchain[name as keyof typeof langchain] as () => ChatOpenAI;

  it('invoke and stream of one prompt: one record each, the same usage, as LangChain reports it for invoke', async () => {
    const msg = await chat().invoke('Tell a story');
    let last: Awaited<ReturnType<ReturnType<typeof chat>['invoke']>> | undefined;
    for await (const chunk of await chat().stream('Tell a story')) last = last ? last.concat(chunk) : chunk;
    expect(msg.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(last?.usage_metadata?.output_tokens).toBeGreaterThan(0);
    const recs = await settled(2);
    expect(recs.map((r) => [r.operation, r.streaming, r.outcome])).toEqual([
      ['chat', false, 'ok'],
      ['chat', true, 'ok'],
    ]);
    expect(recs[0]?.usage).toMatchObject({
      inputTokens: msg.usage_metadata?.input_tokens,
      outputTokens: msg.usage_metadata?.output_tokens,
    });
    // The stream's record is the same call's usage. (LangChain's own total for an Anthropic stream adds
    // message_start's placeholder output_tokens, 1, to message_delta's cumulative count, so it reads one more.)
    expect(recs[1]?.usage?.inputTokens).toBe(recs[0]?.usage?.inputTokens);
    expect(recs[1]?.usage?.outputTokens).toBe(recs[0]?.usage?.outputTokens);
  });
});
