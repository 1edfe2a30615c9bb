// The official @aws-sdk/client-bedrock-runtime (3.1178) against the Bedrock simulator: SigV4 signed by the SDK
// and verified by the simulator, Converse JSON and ConverseStream event-stream frames decoded by the SDK.
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  InvokeModelCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../server.js';
import type { Scenario, Simulator } from '../types.js';
import { BEDROCK_TEST_CREDENTIALS } from './sigv4-verify.js';

let sim: Simulator;
const modelId = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

function client(credentials: { accessKeyId: string; secretAccessKey: string } = BEDROCK_TEST_CREDENTIALS) {
  // HTTP/1.1: the runtime client defaults to HTTP/2 (for its bidirectional-stream operation); the simulator
  // and the gateway speak HTTP/1.1, which Bedrock serves too.
  return new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: sim.url,
    credentials,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
}

/** Sends the scenario header on every request of this client (a middleware, as the SDK has no per-call headers). */
function withScenario(c: BedrockRuntimeClient, s: Scenario | string): BedrockRuntimeClient {
  c.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { headers: Record<string, string> };
      req.headers['x-sim-scenario'] = typeof s === 'string' ? s : JSON.stringify(s);
      return next(args);
    },
    { step: 'build', name: 'simScenario' },
  );
  return c;
}

const ask = {
  modelId,
  system: [{ text: 'Be brief.' }],
  messages: [{ role: 'user' as const, content: [{ text: 'What is the weather in Paris?' }] }],
};
const weatherTool = {
  tools: [
    {
      toolSpec: {
        name: 'get_weather',
        inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    },
  ],
};

beforeAll(async () => {
  sim = await startSimulator({ provider: 'bedrock' });
});
afterAll(() => sim.close());

describe('bedrock simulator with the AWS SDK', () => {
  it('Converse: text, usage with cache tokens, SigV4 accepted; the model id is %-encoded in the path', async () => {
    const r = await withScenario(client(), { outputTokens: 4, cachedTokens: 3 }).send(new ConverseCommand(ask));
    expect(r.stopReason).toBe('end_turn');
    expect(r.output?.message?.content?.[0]?.text?.split(' ')).toHaveLength(4);
    expect(r.usage?.outputTokens).toBe(4);
    expect(r.usage?.cacheReadInputTokens).toBe(3);
    expect(r.usage?.totalTokens).toBe((r.usage?.inputTokens ?? 0) + 4 + 3);
    const logged = sim.requests.at(-1);
    expect(logged?.path).toBe(`/model/${encodeURIComponent(modelId)}/converse`);
    expect(logged?.headers.authorization).toBe('[redacted]');
  });

  it('Converse with tools: toolUse block with schema-shaped input, stopReason tool_use', async () => {
    const r = await client().send(new ConverseCommand({ ...ask, toolConfig: weatherTool }));
    expect(r.stopReason).toBe('tool_use');
    const use = r.output?.message?.content?.[0]?.toolUse;
    expect(use?.name).toBe('get_weather');
    expect(use?.toolUseId).toMatch(/^tooluse_/);
    expect(typeof (use?.input as { city?: unknown } | undefined)?.city).toBe('string');
  });

  it('ConverseStream: the SDK decodes every frame (CRC-checked) into the documented event union', async () => {
    const r = await withScenario(client(), { outputTokens: 3 }).send(new ConverseStreamCommand(ask));
    const events: ConverseStreamOutput[] = [];
    for await (const e of r.stream ?? []) events.push(e);
    expect(events[0]?.messageStart?.role).toBe('assistant');
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    expect(text.split(' ')).toHaveLength(3);
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('end_turn');
    expect(events.at(-1)?.metadata?.usage?.outputTokens).toBe(3);
  });

  it('ConverseStream with tools: toolUse start and input deltas', async () => {
    const r = await client().send(new ConverseStreamCommand({ ...ask, toolConfig: weatherTool }));
    let name = '';
    let input = '';
    for await (const e of r.stream ?? []) {
      name += e.contentBlockStart?.start?.toolUse?.name ?? '';
      input += e.contentBlockDelta?.delta?.toolUse?.input ?? '';
    }
    expect(name).toBe('get_weather');
    expect(typeof JSON.parse(input).city).toBe('string');
  });

  it('a wrong secret key: 403 InvalidSignatureException with AWS’s message', async () => {
    const bad = client({ accessKeyId: BEDROCK_TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' });
    const err = await bad.send(new ConverseCommand(ask)).then(
      () => undefined,
      (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.name).toBe('InvalidSignatureException');
    expect(err?.$metadata?.httpStatusCode).toBe(403);
    expect(err?.message).toMatch(/signature we calculated does not match/);
  });

  it('an unknown access key: 403 UnrecognizedClientException', async () => {
    const bad = client({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' });
    const err = await bad.send(new ConverseCommand(ask)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.name).toBe('UnrecognizedClientException');
  });

  it('faults: throttling → ThrottlingException (429); context length → ValidationException', async () => {
    const t = await withScenario(client(), 'rate_limited')
      .send(new ConverseCommand(ask))
      .catch((e: unknown) => e);
    expect(t).toBeInstanceOf(ThrottlingException);
    expect((t as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    const v = await withScenario(client(), 'context_length')
      .send(new ConverseCommand(ask))
      .catch((e: unknown) => e);
    expect(v).toBeInstanceOf(ValidationException);
    expect((v as Error).message).toBe('Input is too long for requested model.');
  });

  it('an in-stream exception frame surfaces as the modelled exception', async () => {
    const r = await withScenario(client(), { fault: { kind: 'stream_error_event', afterChunks: 2 } }).send(
      new ConverseStreamCommand(ask),
    );
    const err = await (async () => {
      for await (const _ of r.stream ?? []) {
        // drain
      }
    })().catch((e: unknown) => e as Error);
    expect((err as Error).name).toBe('ServiceUnavailableException');
  });

  it('InvokeModel with an Anthropic body: the Messages answer as the response body', async () => {
    const body = JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const r = await withScenario(client(), { outputTokens: 3 }).send(
      new InvokeModelCommand({ modelId, body, contentType: 'application/json' }),
    );
    const msg = JSON.parse(r.body.transformToString()) as { type: string; content: Array<{ text: string }> };
    expect(msg.type).toBe('message');
    expect(msg.content[0]?.text.split(' ')).toHaveLength(3);
    expect(sim.requests.at(-1)?.path).toBe(`/model/${encodeURIComponent(modelId)}/invoke`);
  });
});

describe('bedrock simulator with @anthropic-ai/bedrock-sdk (InvokeModel routes)', () => {
  const claude = () =>
    new AnthropicBedrock({
      baseURL: sim.url,
      awsRegion: 'us-east-1',
      awsAccessKey: BEDROCK_TEST_CREDENTIALS.accessKeyId,
      awsSecretKey: BEDROCK_TEST_CREDENTIALS.secretAccessKey,
      maxRetries: 0,
    });
  const params = { model: modelId, max_tokens: 32, messages: [{ role: 'user' as const, content: 'Hello' }] };

  it('messages.create → /invoke; messages.stream → /invoke-with-response-stream chunk frames', async () => {
    const msg = await claude().messages.create(params);
    expect(msg.stop_reason).toBe('end_turn');
    expect(decodeURIComponent(sim.requests.at(-1)?.path ?? '')).toBe(`/model/${modelId}/invoke`);
    const final = await claude().messages.stream(params).finalMessage();
    expect(final.content[0]?.type).toBe('text');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(sim.requests.at(-1)?.path).toMatch(/\/invoke-with-response-stream$/);
  });

  it('a body without anthropic_version is a ValidationException', async () => {
    const err = await client()
      .send(new InvokeModelCommand({ modelId, body: JSON.stringify({ max_tokens: 8, messages: [] }) }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
  });
});
