// Official `openai` SDK → gateway → the Azure OpenAI, Bedrock (two regions) and Vertex AI simulators: chat JSON,
// streams, tools, pricing from the catalog's cloud providers, error mapping, and a multi-region Bedrock route
// (fallback, breaker and least-latency across regions). Bedrock requests are SigV4-signed by the gateway and
// verified by the simulator; Vertex requests carry google-auth-library tokens from a service-account JSON.
import {
  BEDROCK_TEST_CREDENTIALS,
  type Simulator,
  startSimulator,
  vertexTestServiceAccount,
} from '@switchyard/simulators';
import OpenAI, { type APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load-config.js';
import { listen, type RunningGateway } from '../src/http/listen.js';
import { chatCompletionSchema } from '../src/providers/openai/openai-response-schema.js';
import { createRouteExecutor } from '../src/routing/executor.js';
import { silentLog } from './helpers.js';

const CLAUDE_BEDROCK = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
let azure: Simulator;
let east: Simulator;
let west: Simulator;
let vertex: Simulator;
let gw: RunningGateway;
let client: OpenAI;
const executor = createRouteExecutor({ latency: { exploreRate: 0 } });

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const ask = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];

beforeAll(async () => {
  [azure, east, west, vertex] = await Promise.all([
    startSimulator({ provider: 'azure', apiKey: 'azure-key' }),
    startSimulator({ provider: 'bedrock' }),
    startSimulator({ provider: 'bedrock' }),
    startSimulator({ provider: 'vertex' }),
  ]);
  const aws = { ...BEDROCK_TEST_CREDENTIALS };
  const config = validateConfig({
    server: { host: '127.0.0.1', port: 0 },
    providers: {
      azure: {
        kind: 'azure-openai',
        baseURL: `${azure.url}/openai`,
        apiKey: 'azure-key',
        deployments: { 'gpt-4o-mini': 'prod-mini' },
      },
      'bedrock-east': { kind: 'bedrock', region: 'us-east-1', baseURL: east.url, ...aws },
      'bedrock-west': { kind: 'bedrock', region: 'us-west-2', baseURL: west.url, ...aws },
      'bedrock-badkey': {
        kind: 'bedrock',
        region: 'us-east-1',
        baseURL: east.url,
        accessKeyId: aws.accessKeyId,
        secretAccessKey: 'wrong-secret',
      },
      vertex: {
        kind: 'vertex',
        project: 'sim-project',
        location: 'us-east5',
        baseURL: vertex.url,
        credentials: JSON.stringify(vertexTestServiceAccount()),
      },
    },
    routes: {
      'claude-multi-region': {
        strategy: 'fallback',
        targets: [`bedrock-east/${CLAUDE_BEDROCK}`, `bedrock-west/${CLAUDE_BEDROCK}`],
        retry: { maxAttempts: 1 },
      },
      'claude-nearest': {
        strategy: 'least-latency',
        targets: [`bedrock-east/${CLAUDE_BEDROCK}`, `bedrock-west/${CLAUDE_BEDROCK}`],
      },
    },
  });
  gw = await listen(config, { log: silentLog, executor });
  client = new OpenAI({ apiKey: 'sk-client', baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close(2_000);
  await Promise.all([azure, east, west, vertex].map((s) => s?.close()));
});
beforeEach(() => {
  for (const s of [azure, east, west, vertex]) {
    s.setScenario(undefined);
    s.reset();
  }
});

describe.each([
  ['azure/gpt-4o-mini', () => azure],
  [`bedrock-east/${CLAUDE_BEDROCK}`, () => east],
  ['vertex/claude-sonnet-4-5@20250929', () => vertex],
  ['vertex/gemini-2.5-flash', () => vertex],
])('openai SDK → %s', (model, sim) => {
  it('chat JSON: valid body, priced from the catalog, served-by headers', async () => {
    const { data, response } = await client.chat.completions.create({ model, messages: ask }).withResponse();
    expect(chatCompletionSchema.safeParse(data).success).toBe(true);
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe(model.split('/')[0]);
    expect(sim().requests).toHaveLength(1);
  });

  it('stream with tools: one assembled tool call, finish tool_calls, usage chunk priced', async () => {
    const stream = await client.chat.completions.create({
      model,
      messages: ask,
      tools: [weather],
      stream: true,
      stream_options: { include_usage: true },
    });
    let name = '';
    let args = '';
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const c of stream) {
      const d = c.choices[0]?.delta;
      name += d?.tool_calls?.[0]?.function?.name ?? '';
      args += d?.tool_calls?.[0]?.function?.arguments ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
    }
    expect(name).toBe('get_weather');
    expect(typeof JSON.parse(args).city).toBe('string');
    expect(finish).toBe('tool_calls');
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(Number((usage as { cost?: string } | undefined)?.cost)).toBeGreaterThan(0);
  });
});

describe('cloud specifics', () => {
  it('azure: deployment URL with api-version and api-key; content-filter annotations pass through', async () => {
    const r = await client.chat.completions.create({ model: 'azure/gpt-4o-mini', messages: ask });
    expect((r as unknown as { prompt_filter_results?: unknown[] }).prompt_filter_results).toHaveLength(1);
    expect(r.choices[0]).toHaveProperty('content_filter_results');
    expect(azure.requests[0]?.path).toBe('/openai/deployments/prod-mini/chat/completions?api-version=2024-10-21');
  });

  it('azure: a prompt blocked by the content filter is a 400 content_filter, not retried', async () => {
    azure.setScenario({ preset: 'content_filter' });
    const err = await client.chat.completions.create({ model: 'azure/gpt-4o-mini', messages: ask }).then(
      () => undefined,
      (e: unknown) => e as APIError,
    );
    expect(err?.status).toBe(400);
    expect(err?.code).toBe('content_filter');
    expect(azure.requests).toHaveLength(1);
  });

  it('bedrock: cache tokens from Converse usage reach the OpenAI usage', async () => {
    east.setScenario({ cachedTokens: 4 });
    const r = await client.chat.completions.create({ model: `bedrock-east/${CLAUDE_BEDROCK}`, messages: ask });
    expect(r.usage?.prompt_tokens_details?.cached_tokens).toBe(4);
  });

  it('bedrock: ThrottlingException → 429 rate_limited to the client', async () => {
    east.setScenario({ preset: 'rate_limited' });
    const err = await client.chat.completions.create({ model: `bedrock-east/${CLAUDE_BEDROCK}`, messages: ask }).then(
      () => undefined,
      (e: unknown) => e as APIError,
    );
    expect(err?.status).toBe(429);
  });

  it('bedrock: a wrong secret key is rejected by the signature check and reported as an auth error', async () => {
    const err = await client.chat.completions.create({ model: `bedrock-badkey/${CLAUDE_BEDROCK}`, messages: ask }).then(
      () => undefined,
      (e: unknown) => e as APIError,
    );
    expect(err?.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(err?.error)).not.toContain('wrong-secret');
    const logged = east.requests.at(-1);
    expect(logged?.headers.authorization).toBe('[redacted]');
  });

  it('vertex: Claude goes to rawPredict with anthropic_version vertex-2023-10-16 and a bearer token', async () => {
    await client.chat.completions.create({ model: 'vertex/claude-sonnet-4-5@20250929', messages: ask });
    const logged = vertex.requests.at(-1);
    expect(logged?.path).toBe(
      '/v1/projects/sim-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict',
    );
    expect(logged?.body).toMatchObject({ anthropic_version: 'vertex-2023-10-16' });
    expect(logged?.body).not.toHaveProperty('model');
  });
});

describe('other endpoints reach the cloud kinds', () => {
  it('/v1/messages (Anthropic format) → Bedrock Converse', async () => {
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-client' },
      body: JSON.stringify({ model: `bedrock-east/${CLAUDE_BEDROCK}`, max_tokens: 64, messages: ask }),
    });
    const body = (await res.json()) as { type?: string; content?: Array<{ text?: string }> };
    expect(res.status).toBe(200);
    expect(body.type).toBe('message');
    expect(body.content?.[0]?.text).toBeTruthy();
    expect(east.requests[0]?.path).toMatch(/\/converse$/);
  });

  it('/v1/responses → Vertex Gemini', async () => {
    const res = await fetch(`${gw.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client' },
      body: JSON.stringify({ model: 'vertex/gemini-2.5-flash', input: 'Hello' }),
    });
    const body = (await res.json()) as { object?: string; output_text?: string; output?: unknown[] };
    expect(res.status).toBe(200);
    expect(body.object).toBe('response');
    expect(vertex.requests[0]?.path).toMatch(/:generateContent$/);
  });
});

describe('multi-region route (two Bedrock regions)', () => {
  it('least-latency: the faster region serves most requests', async () => {
    east.setScenario({ latencyMs: 250 });
    for (let i = 0; i < 12; i++) await client.chat.completions.create({ model: 'claude-nearest', messages: ask });
    expect(west.requests.length).toBeGreaterThan(east.requests.length);
  });

  it('fallback: the first region throttled → the second serves', async () => {
    east.setScenario({ preset: 'rate_limited' });
    const { data, response } = await client.chat.completions
      .create({ model: 'claude-multi-region', messages: ask })
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(response.headers.get('x-switchyard-provider')).toBe('bedrock-west');
    expect(east.requests).toHaveLength(1);
    expect(west.requests).toHaveLength(1);
  });

  it('stream: an exception frame before any byte reached the client → the second region serves the stream', async () => {
    east.setScenario({ fault: { kind: 'stream_error_event', afterChunks: 0 } });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'claude-multi-region', messages: ask, stream: true })
      .withResponse();
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('bedrock-west');
    expect(east.requests).toHaveLength(1);
  });

  it('breaker: a region that keeps failing is skipped once its breaker opens', async () => {
    east.setScenario({ preset: 'overloaded' });
    const N = 10;
    for (let i = 0; i < N; i++) {
      const r = await client.chat.completions.create({ model: 'claude-multi-region', messages: ask }).withResponse();
      expect(r.response.headers.get('x-switchyard-provider')).toBe('bedrock-west');
    }
    expect(west.requests).toHaveLength(N);
    expect(east.requests.length).toBeLessThan(N);
    const state = executor.breakerStates().find((b) => b.targetId === `bedrock-east/${CLAUDE_BEDROCK}`);
    expect(state?.state).toBe('open');
  });
});
