// instrument() on @anthropic-ai/bedrock-sdk's AnthropicBedrock against the Bedrock simulator's InvokeModel
// routes (Anthropic bodies, SigV4 signed by the SDK): recorded as `aws.bedrock` through the Anthropic wrapper.
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { BEDROCK_TEST_CREDENTIALS, type Simulator, startSimulator } from '@switchyard/simulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_PRICES, catalogCostOf, harness, waitFor } from '../test-support/harness.js';
import { instrument } from './instrument.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ provider: 'bedrock', port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const modelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const params = { model: modelId, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello' }] };
const scenario = (s: object | string) => ({
  headers: { 'x-sim-scenario': typeof s === 'string' ? s : JSON.stringify(s) },
});
const CACHED = { outputTokens: 5, cachedTokens: 2 };

function setup() {
  const h = harness({ priceSource: CATALOG_PRICES });
  const bare = new AnthropicBedrock({
    baseURL: sim.url,
    awsRegion: 'us-east-1',
    awsAccessKey: BEDROCK_TEST_CREDENTIALS.accessKeyId,
    awsSecretKey: BEDROCK_TEST_CREDENTIALS.secretAccessKey,
    maxRetries: 0,
  });
  return { ...h, bare, client: instrument(bare, h.options) };
}

describe('instrument(AnthropicBedrock) against the Bedrock simulator', () => {
  beforeEach(() => sim.reset());

  it('messages.create: aws.bedrock, Anthropic usage, catalog cost; message unchanged', async () => {
    const { client, bare, records, exporter } = setup();
    const msg = await client.messages.create(params, scenario(CACHED));
    const plain = await bare.messages.create(params, scenario(CACHED));
    expect({ ...msg, id: undefined, _request_id: undefined }).toEqual({
      ...plain,
      id: undefined,
      _request_id: undefined,
    });
    expect(decodeURIComponent(sim.requests.at(-1)?.path ?? '')).toBe(`/model/${modelId}/invoke`);
    await waitFor(records, 1);
    const r = records[0];
    expect(r).toMatchObject({
      provider: 'bedrock',
      requestModel: modelId,
      outcome: 'ok',
      finishReasons: ['end_turn'],
      serverAddress: '127.0.0.1',
    });
    expect(r?.usage).toMatchObject({ inputTokens: msg.usage.input_tokens + 2, outputTokens: 5, cacheReadTokens: 2 });
    expect(r?.cost?.totalNanos).toBe(catalogCostOf('bedrock', modelId, r?.usage as never));
    expect(r?.cost?.totalNanos).toBeGreaterThan(0n);
    expect(exporter.getFinishedSpans()[0]?.attributes['gen_ai.provider.name']).toBe('aws.bedrock');
  });

  it('streams (invoke-with-response-stream) record the same usage; a 429 is rate_limited', async () => {
    const { client, records } = setup();
    await client.messages.create(params, scenario(CACHED));
    let text = '';
    for await (const e of await client.messages.create({ ...params, stream: true }, scenario(CACHED)))
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
    expect(text.split(' ')).toHaveLength(5);
    await client.messages.stream(params, scenario(CACHED)).finalMessage();
    const err = await client.messages.create(params, scenario('rate_limited')).catch((e) => e);
    expect(err?.status).toBe(429);
    await waitFor(records, 4);
    expect(records.map((r) => [r.provider, r.streaming, r.outcome])).toEqual([
      ['bedrock', false, 'ok'],
      ['bedrock', true, 'ok'],
      ['bedrock', true, 'ok'],
      ['bedrock', false, 'error'],
    ]);
    expect(records[1]?.usage).toEqual(records[0]?.usage);
    expect(records[2]?.usage).toEqual(records[0]?.usage);
    expect(records[3]?.error).toMatchObject({ errorClass: 'rate_limited', status: 429 });
  });
});
