// instrument() on the official @aws-sdk/client-bedrock-runtime against the Bedrock simulator (SigV4 verified,
// CRC-checked event-stream frames): Converse, ConverseStream and Claude InvokeModel recorded as `aws.bedrock`, the
// SDK's outputs, streams and exceptions unchanged; and @anthropic-ai/bedrock-sdk's AnthropicBedrock on the same routes.
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import {
  BedrockRuntime,
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandOutput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
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
const ask = {
  modelId,
  system: [{ text: 'Be brief.' }],
  messages: [{ role: 'user' as const, content: [{ text: 'What is the weather in Paris?' }] }],
};

function bedrock<C extends BedrockRuntimeClient>(Ctor: new (config: object) => C, scenario?: object | string): C {
  // HTTP/1.1: the runtime client defaults to HTTP/2; the simulator speaks HTTP/1.1 (as Bedrock also does).
  const c = new Ctor({
    region: 'us-east-1',
    endpoint: sim.url,
    credentials: BEDROCK_TEST_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  });
  if (scenario !== undefined) {
    c.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as { headers: Record<string, string> };
        req.headers['x-sim-scenario'] = typeof scenario === 'string' ? scenario : JSON.stringify(scenario);
        return next(args);
      },
      { step: 'build', name: 'simScenario' },
    );
  }
  return c;
}

function setup(scenario?: object | string) {
  const h = harness({ priceSource: CATALOG_PRICES });
  const bare = bedrock(BedrockRuntimeClient, scenario);
  return { ...h, bare, client: instrument(bare, h.options) };
}

/** An output without what differs per call (request id, measured latency). */
const stable = (o: ConverseCommandOutput) => ({ ...o, $metadata: undefined, metrics: undefined });
const SCEN = { outputTokens: 4, cachedTokens: 3 };

describe('instrument(BedrockRuntimeClient) against the Bedrock simulator', () => {
  beforeEach(() => sim.reset());

  it('Converse: aws.bedrock span, usage with cache reads, catalog cost, output unchanged', async () => {
    const { client, bare, records, exporter } = setup(SCEN);
    const res = await client.send(new ConverseCommand(ask));
    const plain = await bare.send(new ConverseCommand(ask));
    expect(stable(res)).toEqual(stable(plain));
    await waitFor(records, 1);
    expect(records).toHaveLength(1);
    const r = records[0];
    const u = res.usage;
    expect(r).toMatchObject({
      provider: 'bedrock',
      operation: 'chat',
      requestModel: modelId,
      streaming: false,
      outcome: 'ok',
      finishReasons: ['end_turn'],
      requestId: res.$metadata.requestId,
      serverAddress: '127.0.0.1',
      serverPort: Number(new URL(sim.url).port),
    });
    expect(u?.cacheReadInputTokens).toBe(3);
    expect(r?.usage).toEqual({
      inputTokens: (u?.inputTokens ?? 0) + 3,
      outputTokens: 4,
      cacheReadTokens: 3,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      source: 'provider',
    });
    // The cross-region inference profile is priced as its base model by the catalog's `aws` provider.
    expect(CATALOG_PRICES.lookup('bedrock', modelId)?.modelId).toMatch(/anthropic\.claude-sonnet-4-5-20250929/);
    expect(r?.cost?.totalNanos).toBe(catalogCostOf('bedrock', modelId, r?.usage as never));
    expect(r?.cost?.totalNanos).toBeGreaterThan(0n);
    const span = exporter.getFinishedSpans()[0];
    expect(span?.name).toBe(`chat ${modelId}`);
    expect(span?.attributes).toMatchObject({
      'gen_ai.provider.name': 'aws.bedrock',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': modelId,
      'gen_ai.usage.input_tokens': r?.usage?.inputTokens,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.usage.cache_read.input_tokens': 3,
      'gen_ai.response.finish_reasons': ['end_turn'],
      'server.address': '127.0.0.1',
    });
  });

  it('ConverseStream: events unchanged; usage (metadata event) recorded when the consumer finishes', async () => {
    const { client, bare, records } = setup(SCEN);
    await client.send(new ConverseCommand(ask));
    await waitFor(records, 1);
    const out = await client.send(new ConverseStreamCommand(ask));
    const events: ConverseStreamOutput[] = [];
    for await (const e of out.stream ?? []) {
      events.push(e);
      if (events.length === 1) expect(records).toHaveLength(1); // still open while the consumer reads
    }
    const plain: ConverseStreamOutput[] = [];
    for await (const e of (await bare.send(new ConverseStreamCommand(ask))).stream ?? []) plain.push(e);
    const noLatency = (list: ConverseStreamOutput[]) =>
      list.map((e) => (e.metadata ? { ...e, metadata: { ...e.metadata, metrics: undefined } } : e));
    expect(noLatency(events)).toEqual(noLatency(plain));
    await waitFor(records, 2);
    const r = records[1];
    expect(r).toMatchObject({ streaming: true, outcome: 'ok', finishReasons: ['end_turn'], requestModel: modelId });
    expect(r?.usage).toEqual(records[0]?.usage);
    expect(r?.cost).toEqual(records[0]?.cost);
    expect(r?.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(r?.requestId).toBe(out.$metadata.requestId);
  });

  it('break out of a ConverseStream, or abort it: the record ends as cancelled', async () => {
    const { client, records } = setup({ outputTokens: 30 });
    const out = await client.send(new ConverseStreamCommand(ask));
    for await (const _ of out.stream ?? []) break;
    await waitFor(records, 1);
    expect(records[0]?.error?.errorClass).toBe('cancelled');

    const ac = new AbortController();
    const aborted = await client.send(new ConverseStreamCommand(ask), { abortSignal: ac.signal });
    const thrown = await (async () => {
      for await (const _ of aborted.stream ?? []) ac.abort();
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    await waitFor(records, 2);
    expect(records[1]?.outcome).toBe('error');
    expect(records[1]?.error?.errorClass).toBe('cancelled');
    // The SDK ends an aborted event stream quietly; wrapped, it still does (and the record says cancelled).
    expect(thrown).toBeUndefined();
  });

  it('throttling: the same ThrottlingException (429) reaches the caller; class rate_limited', async () => {
    const { client, records, exporter } = setup('rate_limited');
    const err = await client.send(new ConverseCommand(ask)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottlingException);
    expect((err as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    await waitFor(records, 1);
    expect(records[0]?.error).toMatchObject({
      errorClass: 'rate_limited',
      status: 429,
      providerCode: 'ThrottlingException',
      retryable: true,
      fallbackEligible: true,
    });
    expect(records[0]?.usage).toBeUndefined();
    expect(exporter.getFinishedSpans()[0]?.attributes['error.type']).toBe('rate_limited');
  });

  it('context length: ValidationException → context_length; an in-stream exception frame → overloaded', async () => {
    const ctx = setup('context_length');
    const v = await ctx.client.send(new ConverseCommand(ask)).catch((e: unknown) => e);
    expect(v).toBeInstanceOf(ValidationException);
    await waitFor(ctx.records, 1);
    expect(ctx.records[0]?.error?.errorClass).toBe('context_length');

    const mid = setup({ fault: { kind: 'stream_error_event', afterChunks: 2 } });
    const out = await mid.client.send(new ConverseStreamCommand(ask));
    const err = await (async () => {
      for await (const _ of out.stream ?? []) {
        // drain
      }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableException);
    await waitFor(mid.records, 1);
    expect(mid.records[0]?.error?.errorClass).toBe('overloaded');
    expect(mid.records[0]?.streaming).toBe(true);
  });

  it('other commands pass through unrecorded; the aggregated client and callbacks are recorded', async () => {
    const { client, records } = setup();
    const count = await client
      .send(new CountTokensCommand({ modelId, input: { converse: { messages: ask.messages } } }))
      .then(
        () => 'ok',
        (e: unknown) => (e as Error).name,
      );
    expect(count).toBeTruthy();
    const agg = instrument(
      bedrock(BedrockRuntime),
      harness({ priceSource: CATALOG_PRICES, onRecord: (r) => records.push(r) }).options,
    );
    const res = await agg.converse(ask);
    expect(res.stopReason).toBe('end_turn');
    await waitFor(records, 1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ provider: 'bedrock', requestModel: modelId, outcome: 'ok' });
    const claudeBody = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 8, messages: [] });
    await agg.invokeModel({ modelId, body: claudeBody }).catch(() => {});
    await waitFor(records, 2);
    expect(records[1]).toMatchObject({ provider: 'bedrock', requestModel: modelId });
    records.splice(1);

    const viaCallback = await new Promise<ConverseCommandOutput | undefined>((resolve, reject) =>
      client.send(new ConverseCommand(ask), (err: unknown, data?: ConverseCommandOutput) =>
        err ? reject(err) : resolve(data),
      ),
    );
    expect(viaCallback?.stopReason).toBe('end_turn');
    await waitFor(records, 2);
    expect(records[1]).toMatchObject({ provider: 'bedrock', outcome: 'ok' });
  });

  it('InvokeModel / InvokeModelWithResponseStream with Anthropic bodies: recorded; body and chunks unchanged', async () => {
    const { client, bare, records } = setup(SCEN);
    const body = JSON.stringify({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Hello' }],
    });
    const res = await client.send(new InvokeModelCommand({ modelId, body, contentType: 'application/json' }));
    const msg = JSON.parse(res.body.transformToString()) as { id: string; usage: { input_tokens: number } };
    const plain = await bare.send(new InvokeModelCommand({ modelId, body, contentType: 'application/json' }));
    expect({ ...msg, id: undefined }).toEqual({ ...JSON.parse(plain.body.transformToString()), id: undefined });
    await waitFor(records, 1);
    expect(records[0]).toMatchObject({
      provider: 'bedrock',
      requestModel: modelId,
      responseId: msg.id,
      streaming: false,
      outcome: 'ok',
      finishReasons: ['end_turn'],
    });
    expect(records[0]?.usage).toMatchObject({ inputTokens: msg.usage.input_tokens + 3, outputTokens: 4 });
    expect(records[0]?.cost?.totalNanos).toBeGreaterThan(0n);

    const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body }));
    const types: string[] = [];
    for await (const e of out.body ?? []) {
      const bytes = e.chunk?.bytes;
      if (bytes) types.push((JSON.parse(new TextDecoder().decode(bytes)) as { type: string }).type);
    }
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    await waitFor(records, 2);
    expect(records[1]).toMatchObject({ streaming: true, outcome: 'ok', finishReasons: ['end_turn'] });
    expect(records[1]?.usage).toEqual(records[0]?.usage);
    expect(records[1]?.timeToFirstTokenMs).toBeGreaterThan(0);

    // A non-Anthropic model's InvokeModel body is not read: passed through, not recorded.
    await client.send(new InvokeModelCommand({ modelId: 'amazon.titan-text-express-v1', body })).catch(() => {});
    await client.send(new ConverseCommand(ask));
    await waitFor(records, 3);
    expect(records.map((r) => r.requestModel)).toEqual([modelId, modelId, modelId]);
  });
});

const CLAUDE_SCEN = { headers: { 'x-sim-scenario': JSON.stringify({ outputTokens: 5, cachedTokens: 2 }) } };
const claudeParams = { model: modelId, max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hello' }] };

function anthropicSetup() {
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

describe('instrument(AnthropicBedrock) against the Bedrock simulator (InvokeModel routes)', () => {
  beforeEach(() => sim.reset());

  it('messages.create: aws.bedrock, Anthropic usage, catalog cost; message unchanged', async () => {
    const { client, bare, records, exporter } = anthropicSetup();
    const msg = await client.messages.create(claudeParams, CLAUDE_SCEN);
    const plain = await bare.messages.create(claudeParams, CLAUDE_SCEN);
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
    const { client, records } = anthropicSetup();
    await client.messages.create(claudeParams, CLAUDE_SCEN);
    let text = '';
    for await (const e of await client.messages.create({ ...claudeParams, stream: true }, CLAUDE_SCEN))
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
    expect(text.split(' ')).toHaveLength(5);
    await client.messages.stream(claudeParams, CLAUDE_SCEN).finalMessage();
    const err = await client.messages
      .create(claudeParams, { headers: { 'x-sim-scenario': 'rate_limited' } })
      .catch((e) => e);
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
