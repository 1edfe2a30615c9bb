// instrument() on the Vertex AI clients against the Vertex simulator: @anthropic-ai/vertex-sdk (Claude through
// rawPredict) and @google/genai in Vertex mode (Gemini), both authenticated with the simulator's test service
// account. Recorded as `gcp.vertex_ai`, priced by the catalog's `google` provider.
import AnthropicVertex from '@anthropic-ai/vertex-sdk';
import { GoogleGenAI } from '@google/genai';
import { type Simulator, startSimulator, vertexTestServiceAccount } from '@switchyard/simulators';
import { GoogleAuth, JWT } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_PRICES, catalogCostOf, harness, waitFor } from '../test-support/harness.js';
import { instrument } from './instrument.js';

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ provider: 'vertex', port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const scenario = (s: object | string) => ({
  headers: { 'x-sim-scenario': typeof s === 'string' ? s : JSON.stringify(s) },
});

function claudeSetup() {
  const h = harness({ priceSource: CATALOG_PRICES });
  const googleAuth = new GoogleAuth({ credentials: vertexTestServiceAccount(), scopes: [SCOPE] });
  googleAuth.useJWTAccessWithScope = true; // self-signed JWT access tokens: no token endpoint
  const bare = new AnthropicVertex({
    baseURL: `${sim.url}/v1`,
    region: 'us-east5',
    projectId: 'sim-project',
    googleAuth,
    maxRetries: 0,
  });
  return { ...h, bare, client: instrument(bare, h.options) };
}

function geminiSetup() {
  const h = harness({ priceSource: CATALOG_PRICES });
  const sa = vertexTestServiceAccount();
  const authClient = new JWT({
    email: sa.client_email,
    key: sa.private_key,
    keyId: sa.private_key_id,
    scopes: [SCOPE],
  });
  authClient.useJWTAccessWithScope = true;
  const bare = new GoogleGenAI({
    vertexai: true,
    project: 'sim-project',
    location: 'us-central1',
    googleAuthOptions: { authClient },
    httpOptions: { baseUrl: sim.url },
  });
  return { ...h, bare, client: instrument(bare, h.options) };
}

const claudeModel = 'claude-sonnet-4-5@20250929';
const claudeParams = { model: claudeModel, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello' }] };
const CACHED = { outputTokens: 6, cachedTokens: 3 };

describe('instrument(AnthropicVertex)', () => {
  beforeEach(() => sim.reset());

  it('messages.create: gcp.vertex_ai span, usage with cache reads, catalog cost, message unchanged', async () => {
    const { client, bare, records, exporter } = claudeSetup();
    const msg = await client.messages.create(claudeParams, scenario(CACHED));
    const plain = await bare.messages.create(claudeParams, scenario(CACHED));
    expect({ ...msg, id: undefined, _request_id: undefined }).toEqual({
      ...plain,
      id: undefined,
      _request_id: undefined,
    });
    await waitFor(records, 1);
    const r = records[0];
    expect(r).toMatchObject({
      provider: 'vertex',
      requestModel: claudeModel,
      responseModel: msg.model,
      responseId: msg.id,
      outcome: 'ok',
      finishReasons: ['end_turn'],
      serverAddress: '127.0.0.1',
    });
    expect(r?.usage).toMatchObject({
      inputTokens: msg.usage.input_tokens + 3,
      outputTokens: 6,
      cacheReadTokens: 3,
      source: 'provider',
    });
    expect(CATALOG_PRICES.lookup('vertex', claudeModel)?.modelId).toBe('claude-sonnet-4-5');
    expect(r?.cost?.totalNanos).toBe(catalogCostOf('vertex', claudeModel, r?.usage as never));
    expect(r?.cost?.totalNanos).toBeGreaterThan(0n);
    expect(exporter.getFinishedSpans()[0]?.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.vertex_ai',
      'gen_ai.request.model': claudeModel,
      'server.address': '127.0.0.1',
    });
  });

  it('create({stream:true}) and messages.stream() are recorded with the non-stream usage', async () => {
    const { client, records } = claudeSetup();
    await client.messages.create(claudeParams, scenario(CACHED));
    for await (const _ of await client.messages.create({ ...claudeParams, stream: true }, scenario(CACHED))) {
      // drain
    }
    await client.messages.stream(claudeParams, scenario(CACHED)).finalMessage();
    await waitFor(records, 3);
    expect(records.map((r) => [r.provider, r.streaming, r.outcome])).toEqual([
      ['vertex', false, 'ok'],
      ['vertex', true, 'ok'],
      ['vertex', true, 'ok'],
    ]);
    expect(records[1]?.usage).toEqual(records[0]?.usage);
    expect(records[2]?.usage).toEqual(records[0]?.usage);
  });

  it('a 429 from Vertex reaches the caller unchanged and is classified rate_limited', async () => {
    const { client, records } = claudeSetup();
    const err = await client.messages.create(claudeParams, scenario('rate_limited')).catch((e) => e);
    expect(err?.status).toBe(429);
    await waitFor(records, 1);
    expect(records[0]).toMatchObject({ provider: 'vertex', error: { errorClass: 'rate_limited', status: 429 } });
  });
});

describe('instrument(GoogleGenAI) in Vertex mode', () => {
  beforeEach(() => sim.reset());

  it('generateContent and generateContentStream: gcp.vertex_ai, same usage and cost', async () => {
    const { client, bare, records, exporter } = geminiSetup();
    const req = { model: 'gemini-2.5-flash', contents: 'Hello', config: { httpOptions: scenario(CACHED) } };
    const res = await client.models.generateContent(req);
    const plain = await bare.models.generateContent(req);
    expect(res.text).toBe(plain.text);
    let text = '';
    for await (const c of await client.models.generateContentStream(req)) text += c.text ?? '';
    expect(text).toBe(res.text);
    await waitFor(records, 2);
    expect(records[0]).toMatchObject({
      provider: 'vertex',
      operation: 'generate_content',
      requestModel: 'gemini-2.5-flash',
      outcome: 'ok',
      serverAddress: '127.0.0.1',
    });
    expect(records[0]?.usage).toMatchObject({ inputTokens: res.usageMetadata?.promptTokenCount, cacheReadTokens: 3 });
    expect(records[0]?.cost?.totalNanos).toBe(catalogCostOf('vertex', 'gemini-2.5-flash', records[0]?.usage as never));
    expect(records[1]).toMatchObject({ provider: 'vertex', streaming: true, outcome: 'ok' });
    expect(records[1]?.usage).toEqual(records[0]?.usage);
    expect(records[1]?.cost).toEqual(records[0]?.cost);
    expect(exporter.getFinishedSpans()[0]?.attributes['gen_ai.provider.name']).toBe('gcp.vertex_ai');
  });

  it('a publisher model path names the model; RESOURCE_EXHAUSTED → rate_limited', async () => {
    const { client, records } = geminiSetup();
    await client.models.generateContent({ model: 'publishers/google/models/gemini-2.5-flash', contents: 'Hi' });
    const err = await client.models
      .generateContent({ model: 'gemini-2.5-flash', contents: 'Hi', config: { httpOptions: scenario('rate_limited') } })
      .catch((e) => e);
    expect(err?.status).toBe(429);
    await waitFor(records, 2);
    expect(records[0]).toMatchObject({ requestModel: 'gemini-2.5-flash', outcome: 'ok' });
    expect(records[1]).toMatchObject({ provider: 'vertex', error: { errorClass: 'rate_limited' } });
  });
});
