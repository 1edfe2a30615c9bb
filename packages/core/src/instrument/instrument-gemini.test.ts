import { GoogleGenAI } from '@google/genai';
import { type Simulator, startSimulator } from '@switchyard/simulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { costOf, harness, waitFor } from '../test-support/harness.js';
import { instrument } from './instrument.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ provider: 'gemini', port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const scenario = (s: object | string) => ({
  headers: { 'x-sim-scenario': typeof s === 'string' ? s : JSON.stringify(s) },
});
const req = (s: object | string = {}) => ({
  model: 'gemini-2.5-flash',
  contents: 'Why is the sky blue?',
  config: { httpOptions: scenario(s) },
});
const SCEN = { outputTokens: 9, cachedTokens: 4, reasoningTokens: 6 };

function setup(extra = {}) {
  const h = harness(extra);
  const bare = new GoogleGenAI({ apiKey: 'gm-test', httpOptions: { baseUrl: sim.url } });
  return { ...h, bare, client: instrument(bare, h.options) };
}

describe('instrument(@google/genai) against the simulator', () => {
  beforeEach(() => sim.reset());

  it('generateContent: output includes thoughts; cached part of input; exact cost', async () => {
    const { client, records, exporter } = setup();
    const res = await client.models.generateContent(req(SCEN));
    await waitFor(records, 1);
    const m = res.usageMetadata;
    expect(records[0]).toMatchObject({
      provider: 'gemini',
      operation: 'generate_content',
      requestModel: 'gemini-2.5-flash',
      outcome: 'ok',
    });
    expect(records[0]?.usage).toEqual({
      inputTokens: m?.promptTokenCount,
      outputTokens: (m?.candidatesTokenCount ?? 0) + (m?.thoughtsTokenCount ?? 0),
      cacheReadTokens: 4,
      cacheWriteTokens: 0,
      reasoningTokens: 6,
      source: 'provider',
    });
    expect(records[0]?.cost?.totalNanos).toBe(costOf('gemini-2.5-flash', records[0]?.usage as never));
    expect(exporter.getFinishedSpans()[0]?.attributes['gen_ai.provider.name']).toBe('gcp.gemini');
    expect(records[0]?.serverAddress).toBe('127.0.0.1');
  });

  it('generateContentStream costs the same as generateContent; chunks unchanged', async () => {
    const { client, bare, records } = setup();
    await client.models.generateContent(req(SCEN));
    const texts: string[] = [];
    for await (const c of await client.models.generateContentStream(req(SCEN))) texts.push(c.text ?? '');
    const bareTexts: string[] = [];
    for await (const c of await bare.models.generateContentStream(req(SCEN))) bareTexts.push(c.text ?? '');
    expect(texts).toEqual(bareTexts);
    await waitFor(records, 2);
    expect(records[1]?.streaming).toBe(true);
    expect(records[1]?.usage).toEqual(records[0]?.usage);
    expect(records[1]?.cost).toEqual(records[0]?.cost);
    expect(records[1]?.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('chats: every sendMessage / sendMessageStream of a chat session is one record, history kept', async () => {
    // `ai.chats.create()` hands the session the models module it was built with: through an instrument()ed
    // client, that is the recorded one.
    const { client, bare, records } = setup();
    const converse = async (ai: typeof client) => {
      const chat = ai.chats.create({ model: 'gemini-2.5-flash', config: { httpOptions: scenario(SCEN) } });
      const first = await chat.sendMessage({ message: 'Why is the sky blue?' });
      const streamed: string[] = [];
      for await (const c of await chat.sendMessageStream({ message: 'And the sea?' })) streamed.push(c.text ?? '');
      return { first: first.text, streamed, history: chat.getHistory() };
    };
    const got = await converse(client);
    await waitFor(records, 2);
    expect(records.map((r) => [r.operation, r.requestModel, r.streaming, r.outcome])).toEqual([
      ['generate_content', 'gemini-2.5-flash', false, 'ok'],
      ['generate_content', 'gemini-2.5-flash', true, 'ok'],
    ]);
    expect(records[0]?.usage?.outputTokens).toBe(SCEN.outputTokens + SCEN.reasoningTokens); // thoughts are output
    // The second turn sends the first one again as history.
    expect(records[1]?.usage?.inputTokens).toBeGreaterThan(records[0]?.usage?.inputTokens ?? Number.POSITIVE_INFINITY);
    // The same conversation as without instrument(), and the bare client's own sessions stay unrecorded.
    expect(got).toEqual(await converse(bare));
    await new Promise((r) => setTimeout(r, 50));
    expect(records).toHaveLength(2);
  });

  it('embedContent is recorded as embeddings', async () => {
    const { client, records } = setup();
    const res = await client.models.embedContent({ model: 'gemini-embedding-001', contents: 'hello world' });
    expect(res.embeddings?.length).toBe(1);
    await waitFor(records, 1);
    expect(records[0]).toMatchObject({ operation: 'embeddings', requestModel: 'gemini-embedding-001', outcome: 'ok' });
    // Gemini reports no token usage for embeddings: estimated from the input and flagged, never $0.
    expect(records[0]?.usage).toMatchObject({ inputTokens: 3, source: 'estimated' });
    expect(records[0]?.cost?.totalNanos).toBeGreaterThan(0n);
  });

  it.each([
    ['rate_limited', 'rate_limited'],
    ['overloaded', 'overloaded'],
    ['server_error', 'upstream_5xx'],
  ])('fault %s → ApiError untouched, class %s', async (preset, errorClass) => {
    const { client, records } = setup();
    const err = await client.models.generateContent(req(preset)).catch((e) => e);
    expect(err?.name).toBe('ApiError');
    await waitFor(records, 1);
    expect(records[0]?.error?.errorClass).toBe(errorClass);
  });

  it('break out of a stream: cancelled', async () => {
    const { client, records } = setup();
    for await (const _ of await client.models.generateContentStream(req({ outputTokens: 20 }))) break;
    await waitFor(records, 1);
    expect(records[0]?.error?.errorClass).toBe('cancelled');
  });

  it('captureContent puts prompt and answer on the span only when asked', async () => {
    const on = setup({ captureContent: true });
    await on.client.models.generateContent(req());
    await waitFor(on.records, 1);
    expect(on.exporter.getFinishedSpans()[0]?.attributes['gen_ai.input.messages']).toContain('Why is the sky blue?');
    const off = setup();
    await off.client.models.generateContent(req());
    await waitFor(off.records, 1);
    expect(off.exporter.getFinishedSpans()[0]?.attributes['gen_ai.input.messages']).toBeUndefined();
  });
});
