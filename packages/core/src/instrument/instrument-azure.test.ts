// instrument() on `openai`'s AzureOpenAI against the Azure OpenAI simulator: recorded as `azure.ai.openai`, the
// requested model as gen_ai.request.model, what Azure reports as gen_ai.response.model, priced by the catalog's
// `azure` provider; Azure's content-filter and 429 errors classified.

import { type Simulator, startSimulator } from '@switchyard/simulators';
import { AzureOpenAI, BadRequestError, RateLimitError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_PRICES, catalogCostOf, harness, waitFor } from '../test-support/harness.js';
import { instrument } from './instrument.js';
import type { InstrumentOptions } from './instrument-options.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ provider: 'azure', port: 0, apiKey: 'azure-secret' });
});
afterAll(async () => {
  await sim.close();
});

const apiVersion = '2024-10-21';
const scenario = (s: object | string) => ({
  headers: { 'x-sim-scenario': typeof s === 'string' ? s : JSON.stringify(s) },
});
const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];
const params = { model: 'gpt-4o-mini', messages };
const SCEN = { outputTokens: 5, cachedTokens: 2 };

function setup(extra: InstrumentOptions = {}) {
  const h = harness({ priceSource: CATALOG_PRICES, ...extra });
  const bare = new AzureOpenAI({
    endpoint: sim.url,
    apiVersion,
    apiKey: 'azure-secret',
    deployment: 'prod-gpt-4o-mini',
    maxRetries: 0,
  });
  return { ...h, bare, client: instrument(bare, h.options) };
}

describe('instrument(AzureOpenAI) against the Azure OpenAI simulator', () => {
  beforeEach(() => sim.reset());

  it('chat: azure.ai.openai span, deployment answer, catalog cost, body (filter annotations) unchanged', async () => {
    const { client, bare, records, exporter } = setup();
    expect(client).toBeInstanceOf(AzureOpenAI);
    const res = await client.chat.completions.create(params, scenario(SCEN));
    const plain = await bare.chat.completions.create(params, scenario(SCEN));
    const strip = (r: typeof res) => ({ ...r, id: undefined, created: undefined, _request_id: undefined });
    expect(strip(res)).toEqual(strip(plain));
    expect((res as unknown as { prompt_filter_results: unknown[] }).prompt_filter_results).toHaveLength(1);
    await waitFor(records, 1);
    const r = records[0];
    expect(r).toMatchObject({
      provider: 'azure-openai',
      operation: 'chat',
      requestModel: 'gpt-4o-mini',
      responseModel: res.model,
      responseId: res.id,
      outcome: 'ok',
      finishReasons: ['stop'],
      serverAddress: '127.0.0.1',
      serverPort: Number(new URL(sim.url).port),
    });
    expect(r?.usage).toMatchObject({
      inputTokens: res.usage?.prompt_tokens,
      outputTokens: 5,
      cacheReadTokens: 2,
      source: 'provider',
    });
    // The deployment name has no price: the requested model is priced by the catalog's `azure` provider.
    expect(r?.cost?.totalNanos).toBe(catalogCostOf('azure-openai', 'gpt-4o-mini', r?.usage as never));
    expect(r?.cost?.totalNanos).toBeGreaterThan(0n);
    expect(r?.unknownPrice).toBe(false);
    const span = exporter.getFinishedSpans()[0];
    expect(span?.name).toBe('chat gpt-4o-mini');
    expect(span?.attributes).toMatchObject({
      'gen_ai.provider.name': 'azure.ai.openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'prod-gpt-4o-mini',
      'server.address': '127.0.0.1',
    });
  });

  it('stream: chunks unchanged (the prompt-filter chunk first); same usage and cost as non-stream', async () => {
    const { client, bare, records } = setup();
    await client.chat.completions.create(params, scenario(SCEN));
    const sp = { ...params, stream: true as const, stream_options: { include_usage: true } };
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of await client.chat.completions.create(sp, scenario(SCEN))) chunks.push(c);
    const plain: ChatCompletionChunk[] = [];
    for await (const c of await bare.chat.completions.create(sp, scenario(SCEN))) plain.push(c);
    const text = (list: typeof chunks) => list.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(chunks.length).toBe(plain.length);
    expect(text(chunks)).toBe(text(plain));
    expect(chunks[0]?.choices).toEqual([]);
    await waitFor(records, 2);
    expect(records[1]).toMatchObject({ provider: 'azure-openai', streaming: true, outcome: 'ok' });
    expect(records[1]?.usage).toEqual(records[0]?.usage);
    expect(records[1]?.cost).toEqual(records[0]?.cost);
  });

  it('includeUsage works on Azure streams too (the usage chunk asked for is hidden)', async () => {
    const { client, records } = setup({ includeUsage: true });
    const chunks = [];
    for await (const c of await client.chat.completions.create({ ...params, stream: true }, scenario(SCEN)))
      chunks.push(c);
    expect(chunks.some((c) => c.usage)).toBe(false);
    await waitFor(records, 1);
    expect(records[0]?.usage).toMatchObject({ outputTokens: 5, source: 'provider' });
  });

  it('embeddings are recorded as azure-openai embeddings', async () => {
    const { client, records } = setup();
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(res.data).toHaveLength(2);
    await waitFor(records, 1);
    expect(records[0]).toMatchObject({ provider: 'azure-openai', operation: 'embeddings', outcome: 'ok' });
    expect(records[0]?.cost?.totalNanos).toBeGreaterThan(0n);
  });

  it('errors: content filter → content_filter, 429 → rate_limited with retry-after, wrong key → auth', async () => {
    const { client, records, exporter } = setup();
    const filtered = await client.chat.completions.create(params, scenario('content_filter')).catch((e) => e);
    expect(filtered).toBeInstanceOf(BadRequestError);
    expect(filtered.code).toBe('content_filter');
    await waitFor(records, 1);
    expect(records[0]?.error).toMatchObject({ errorClass: 'content_filter', status: 400, fallbackEligible: false });

    const limited = await client.chat.completions.create(params, scenario('rate_limited')).catch((e) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    await waitFor(records, 2);
    expect(records[1]?.error).toMatchObject({ errorClass: 'rate_limited', status: 429, retryAfterMs: 1000 });
    expect(exporter.getFinishedSpans()[1]?.attributes['error.type']).toBe('rate_limited');

    const wrongKey = new AzureOpenAI({ endpoint: sim.url, apiVersion, apiKey: 'wrong', maxRetries: 0 });
    const denied = await instrument(wrongKey, harness({ onRecord: (r) => records.push(r) }).options)
      .chat.completions.create(params)
      .catch((e) => e);
    expect(denied.status).toBe(401);
    await waitFor(records, 3);
    expect(records[2]).toMatchObject({ provider: 'azure-openai', error: { errorClass: 'auth' } });
  });
});
