// The official @google/genai (2.32) against the Gemini simulator.
import { ApiError, FunctionCallingConfigMode, GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddingVector } from '../ids.js';
import { startSimulator } from '../server.js';
import { countInputTokens, textTokens, toolCallTokens } from '../tokens.js';
import type { Scenario, Simulator } from '../types.js';
import { geminiInputTokens } from './gemini-usage.js';

let sim: Simulator;
let ai: GoogleGenAI;
const headers = (s: Scenario | string) => ({ 'x-sim-scenario': typeof s === 'string' ? s : JSON.stringify(s) });
const model = 'gemini-2.5-flash';
const contents = 'What is the weather in Paris today?';
// systemInstruction + one user content: (4 + 3) + (4 + 9)
const EXPECTED_INPUT = countInputTokens(['Be brief.', contents]);
const weather = {
  name: 'get_weather',
  parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } } },
};

const generate = (s: Scenario | string = {}, extra: Record<string, unknown> = {}) =>
  ai.models.generateContent({
    model,
    contents,
    config: { systemInstruction: 'Be brief.', httpOptions: { headers: headers(s) }, ...extra },
  });
const generateStream = (s: Scenario | string = {}, extra: Record<string, unknown> = {}) =>
  ai.models.generateContentStream({
    model,
    contents,
    config: { systemInstruction: 'Be brief.', httpOptions: { headers: headers(s) }, ...extra },
  });

beforeAll(async () => {
  sim = await startSimulator({ provider: 'gemini' });
  ai = new GoogleGenAI({ apiKey: 'gemini-secret', httpOptions: { baseUrl: sim.url } });
});
afterAll(() => sim.close());

describe('gemini simulator: shapes', () => {
  it('generateContent with exact usageMetadata; x-goog-api-key sent and redacted in the log', async () => {
    const r = await generate({ outputTokens: 5, cachedTokens: 4 });
    expect(EXPECTED_INPUT).toBe(20);
    expect(r.text?.split(' ')).toHaveLength(5);
    expect(r.candidates?.[0]?.finishReason).toBe('STOP');
    expect(r.usageMetadata).toMatchObject({
      promptTokenCount: 20,
      candidatesTokenCount: 5,
      totalTokenCount: 25,
      cachedContentTokenCount: 4,
    });
    expect(r.responseId).toHaveLength(23);
    expect(r.modelVersion).toBe(model);
    const logged = sim.requests.at(-1);
    expect(logged?.path).toBe(`/v1beta/models/${model}:generateContent`);
    expect(logged?.headers['x-goog-api-key']).toBe('[redacted]');
    expect(JSON.stringify(sim.requests)).not.toContain('gemini-secret');
  });

  it('?key= works instead of the header and is redacted in the log', async () => {
    const res = await fetch(`${sim.url}/v1beta/models/${model}:generateContent?key=query-secret`, {
      method: 'POST',
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(200);
    expect(sim.requests.at(-1)?.path).toBe(`/v1beta/models/${model}:generateContent?key=[redacted]`);
  });

  it('stream (alt=sse): text reassembles to the unstreamed answer, usage cumulative, finishReason last', async () => {
    const chunks = [];
    for await (const c of await generateStream({ outputTokens: 6, chunks: 3 })) chunks.push(c);
    expect(sim.requests.at(-1)?.path).toBe(`/v1beta/models/${model}:streamGenerateContent?alt=sse`);
    expect(chunks).toHaveLength(3);
    expect(chunks.map((c) => c.usageMetadata?.candidatesTokenCount)).toEqual([2, 4, 6]);
    expect(chunks.map((c) => c.candidates?.[0]?.finishReason)).toEqual([undefined, undefined, 'STOP']);
    const json = await generate({ outputTokens: 6 });
    expect(chunks.map((c) => c.text).join('')).toBe(json.text);
  });

  it(':streamGenerateContent without alt=sse answers one JSON array of the same chunks', async () => {
    const res = await fetch(`${sim.url}/v1beta/models/${model}:streamGenerateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'k', 'x-sim-scenario': '{"outputTokens":4,"chunks":2}' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    const chunks = (await res.json()) as { usageMetadata: { candidatesTokenCount: number } }[];
    expect(chunks.map((c) => c.usageMetadata.candidatesTokenCount)).toEqual([2, 4]);
  });

  it('maxOutputTokens → MAX_TOKENS; thoughts with includeThoughts; thoughtsTokenCount outside candidates', async () => {
    const capped = await generate({ outputTokens: 20 }, { maxOutputTokens: 4 });
    expect(capped.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect(capped.usageMetadata?.candidatesTokenCount).toBe(4);
    const r = await generate({ outputTokens: 3, reasoningTokens: 5 }, { thinkingConfig: { includeThoughts: true } });
    const parts = r.candidates?.[0]?.content?.parts ?? [];
    expect(parts[0]?.thought).toBe(true);
    expect(parts[0]?.text?.split(' ')).toHaveLength(5);
    expect(r.usageMetadata).toMatchObject({ candidatesTokenCount: 3, thoughtsTokenCount: 5, totalTokenCount: 28 });
    const hidden = await generate({ reasoningTokens: 7 });
    expect(hidden.candidates?.[0]?.content?.parts?.some((p) => p.thought)).toBe(false);
    expect(hidden.usageMetadata?.thoughtsTokenCount).toBe(7);
  });

  it('functionCall parts when tools are given (JSON and stream), usage by the rule', async () => {
    const tools = [{ functionDeclarations: [weather] }];
    const r = await generate({}, { tools });
    const call = r.functionCalls?.[0];
    expect(call?.name).toBe('get_weather');
    expect(typeof call?.args?.city).toBe('string');
    const sent = sim.requests.at(-1)?.body;
    expect(r.usageMetadata?.promptTokenCount).toBe(geminiInputTokens(sent));
    expect(r.usageMetadata?.promptTokenCount).toBe(EXPECTED_INPUT + textTokens(JSON.stringify(tools)));
    expect(r.usageMetadata?.candidatesTokenCount).toBe(toolCallTokens('get_weather', JSON.stringify(call?.args)));
    const calls = [];
    for await (const c of await generateStream({}, { tools })) calls.push(...(c.functionCalls ?? []));
    expect(calls).toEqual(r.functionCalls);
  });

  it('mode NONE → text; ANY + allowedFunctionNames forces; parallel calls via scenario', async () => {
    const other = { name: 'get_time', parametersJsonSchema: { type: 'object', properties: {} } };
    const tools = [{ functionDeclarations: [weather, other] }];
    const none = await generate(
      {},
      { tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } } },
    );
    expect(none.functionCalls).toBeUndefined();
    const forced = await generate(
      {},
      {
        tools,
        toolConfig: {
          functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ['get_time'] },
        },
      },
    );
    expect(forced.functionCalls?.map((c) => c.name)).toEqual(['get_time']);
    const par = await generate({ parallelToolCalls: 2 }, { tools });
    expect(par.functionCalls?.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
  });

  it('embedContent (SDK → :batchEmbedContents) honours outputDimensionality; raw :embedContent works', async () => {
    const r = await ai.models.embedContent({
      model: 'gemini-embedding-001',
      contents: ['hello', 'world'],
      config: { outputDimensionality: 16 },
    });
    expect(sim.requests.at(-1)?.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(r.embeddings).toHaveLength(2);
    expect(r.embeddings?.[1]?.values).toEqual(Array.from(embeddingVector('world', 16)));
    const res = await fetch(`${sim.url}/v1beta/models/text-embedding-004:embedContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'k' },
      body: JSON.stringify({ content: { parts: [{ text: 'hello' }] } }),
    });
    const body = (await res.json()) as { embedding: { values: number[] } };
    expect(body.embedding.values).toHaveLength(768);
  });

  it('models list', async () => {
    const names = [];
    for await (const m of await ai.models.list()) names.push(m.name);
    expect(names).toContain(`models/${model}`);
  });
});

describe('gemini simulator: faults raise the SDK ApiError', () => {
  const failure = async (p: Promise<unknown>) => (await p.catch((e: unknown) => e)) as ApiError;

  it('missing or wrong key → 400 INVALID_ARGUMENT with API_KEY_INVALID ErrorInfo', async () => {
    const res = await fetch(`${sim.url}/v1beta/models/${model}:generateContent`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { status: string; details: unknown[] } };
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.details[0]).toMatchObject({
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
    });
    const strict = await startSimulator({ provider: 'gemini', apiKey: 'right' });
    const wrong = new GoogleGenAI({ apiKey: 'wrong', httpOptions: { baseUrl: strict.url } });
    const e = await failure(wrong.models.generateContent({ model, contents }));
    await strict.close();
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.message).toContain('API_KEY_INVALID');
  });

  it('429 RESOURCE_EXHAUSTED with a RetryInfo retryDelay detail', async () => {
    const e = await failure(generate({ fault: { status: 429, retryAfterSeconds: 34.4 } }));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(429);
    const body = JSON.parse(e.message);
    expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
    expect(body.error.details).toContainEqual({
      '@type': 'type.googleapis.com/google.rpc.RetryInfo',
      retryDelay: '34.4s',
    });
  });

  it('503 UNAVAILABLE (overloaded) and 400 context length', async () => {
    const o = await failure(generate('overloaded'));
    expect(o.status).toBe(503);
    expect(JSON.parse(o.message).error.status).toBe('UNAVAILABLE');
    const c = await failure(generate('context_length'));
    expect(c.status).toBe(400);
    expect(c.message).toContain('exceeds the maximum number of tokens');
  });

  it('in-stream data: {"error"} after HTTP 200 → ApiError while iterating', async () => {
    const stream = await generateStream({ outputTokens: 6, fault: { kind: 'stream_error_event', afterChunks: 2 } });
    const seen: unknown[] = [];
    const e = await failure(
      (async () => {
        for await (const c of stream) seen.push(c);
      })(),
    );
    expect(seen).toHaveLength(2);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(503);
  });

  it('reset before headers and mid stream → errors (fetch TypeError)', async () => {
    await expect(generate('reset_before_headers')).rejects.toThrow();
    const stream = await generateStream({ fault: { kind: 'reset_mid_stream', afterChunks: 1 } });
    await expect(
      (async () => {
        for await (const _ of stream);
      })(),
    ).rejects.toThrow();
  });

  it('html 502 page → ApiError status 502', async () => {
    const e = await failure(generate('html_error'));
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(502);
    expect(e.message).toContain('502 Bad Gateway');
  });

  it('malformed JSON → rejects', async () => {
    await expect(generate('malformed_json')).rejects.toThrow();
  });
});
