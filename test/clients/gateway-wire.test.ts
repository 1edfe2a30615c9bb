// Wire details clients depend on, checked with plain fetch against the client-suite gateway: translation
// warnings, CORS, count_tokens, models/{id}, in-stream error types, the model rule, rate-limit parking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientBed, MODEL_OF, startClientBed, withScenario } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: wire JSON
type Json = any;

let bed: ClientBed;
beforeAll(async () => {
  bed = await startClientBed({
    config: { server: { host: '127.0.0.1', port: 0, cors: { origins: ['https://app.example.com'] } } },
    providers: (sims, key) => ({
      'overloaded-anthropic': withScenario(sims, 'anthropic', key, {
        fault: { kind: 'stream_error_event', afterChunks: 12 },
        outputTokens: 40,
        chunkDelayMs: 10, // events arrive apart: the stream commits before the error
      }),
      'gemini3-args': withScenario(sims, 'gemini', key, { streamFunctionCallArguments: true, parallelToolCalls: 2 }),
      'overloaded-early': withScenario(sims, 'anthropic', key, {
        fault: { kind: 'stream_error_event', afterChunks: 1 },
      }),
    }),
  });
});
afterAll(() => bed?.close());

const auth = () => ({ authorization: `Bearer ${bed.key}`, 'content-type': 'application/json' });
const post = (path: string, body: unknown, headers: Record<string, string> = auth()) =>
  fetch(`${bed.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

describe('translation warnings', () => {
  it('a dropped parameter is named in x-switchyard-warnings (chat → Anthropic, stream too)', async () => {
    const body = { model: MODEL_OF.anthropic, messages: [{ role: 'user', content: 'hi' }], seed: 7 };
    const res = await post('/v1/chat/completions', body);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-warnings')).toMatch(/seed/);
    const streamed = await post('/v1/chat/completions', { ...body, stream: true });
    expect(streamed.headers.get('x-switchyard-warnings')).toMatch(/seed/);
    await streamed.text();
  });

  it('/v1/messages → OpenAI: an Anthropic-only parameter (top_k) is named', async () => {
    const res = await post('/v1/messages', {
      model: MODEL_OF.openai,
      max_tokens: 32,
      top_k: 5,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-warnings')).toMatch(/top_k/);
  });

  it('same-format pass-through has no warnings header', async () => {
    const res = await post('/v1/chat/completions', {
      model: MODEL_OF.openai,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.headers.get('x-switchyard-warnings')).toBeNull();
  });
});

describe('CORS', () => {
  it('answers the preflight of an allowed origin and exposes x-switchyard-* headers', async () => {
    const pre = await fetch(`${bed.baseURL}/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const res = await post(
      '/v1/chat/completions',
      { model: MODEL_OF.gemini, messages: [{ role: 'user', content: 'hi' }] },
      { ...auth(), origin: 'https://app.example.com' },
    );
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/x-switchyard-cost-usd/);
  });

  it('other origins get no CORS headers (preflight 403); /admin is never cross-origin', async () => {
    const pre = await fetch(`${bed.baseURL}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const admin = await fetch(`${bed.url}/admin/v1/routes`, {
      headers: { origin: 'https://app.example.com', authorization: `Bearer ${bed.adminToken}` },
    });
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('count_tokens and models', () => {
  it('count_tokens: Anthropic answers exactly; others are estimated and flagged; a bad body is a 400', async () => {
    const body = { messages: [{ role: 'user', content: 'How many tokens is this sentence?' }] };
    const exact = await post('/v1/messages/count_tokens', { ...body, model: MODEL_OF.anthropic });
    expect(exact.status).toBe(200);
    expect(exact.headers.get('x-switchyard-estimated')).toBeNull();
    const msg = await post('/v1/messages', { ...body, model: MODEL_OF.anthropic, max_tokens: 16 });
    expect(((await exact.json()) as Json).input_tokens).toBe(((await msg.json()) as Json).usage.input_tokens);
    const est = await post('/v1/messages/count_tokens', { ...body, model: MODEL_OF.gemini });
    expect(est.headers.get('x-switchyard-estimated')).toBe('true');
    expect(((await est.json()) as Json).input_tokens).toBeGreaterThan(0);
    const bad = await post('/v1/messages/count_tokens', { model: MODEL_OF.gemini });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Json).type).toBe('error'); // Anthropic error format
  });

  it('count_tokens checks the key before the body: without a valid key any body is a 401 (learns nothing else)', async () => {
    const json = { 'content-type': 'application/json' };
    const body = { messages: [{ role: 'user', content: 'hi' }], model: MODEL_OF.anthropic };
    for (const headers of [json, { ...json, 'x-api-key': 'sk-sy-not-a-key' }]) {
      for (const b of [body, { model: MODEL_OF.gemini }, { model: 'no-such/model', messages: [] }]) {
        const res = await post('/v1/messages/count_tokens', b, headers);
        expect(res.status).toBe(401);
        expect(((await res.json()) as Json).error.type).toBe('authentication_error');
      }
    }
  });

  it('GET /v1/models/{id} with a slash in the id; 401 without a key', async () => {
    const res = await fetch(`${bed.baseURL}/models/${MODEL_OF.gemini}`, { headers: auth() });
    expect(await res.json()).toMatchObject({ id: MODEL_OF.gemini, object: 'model', owned_by: 'gemini' });
    expect((await fetch(`${bed.baseURL}/models`)).status).toBe(401);
    expect((await fetch(`${bed.baseURL}/models/${MODEL_OF.gemini}`)).status).toBe(401);
  });
});

describe('streams', () => {
  it('an Anthropic overloaded_error mid-stream keeps its type (not api_error)', async () => {
    const res = await post('/v1/messages', {
      model: 'overloaded-anthropic/claude-sonnet-4-5',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const text = await res.text();
    const error = text.split('\n\n').find((e) => e.startsWith('event: error'));
    expect(error).toBeDefined();
    expect(JSON.parse(error?.split('data: ')[1] ?? '{}').error.type).toBe('overloaded_error');
  });

  it('before anything reached the client, the same error is a 529 overloaded_error response', async () => {
    const res = await post('/v1/messages', {
      model: 'overloaded-early/claude-sonnet-4-5',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status).toBe(529);
    expect(((await res.json()) as Json).error.type).toBe('overloaded_error');
  });

  it('every chunk of a pass-through stream names the served <provider>/<model>', async () => {
    const res = await post('/v1/chat/completions', {
      model: MODEL_OF.openai,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    const models = new Set<string>();
    for (const line of (await res.text()).split('\n')) {
      if (line.startsWith('data: {')) models.add(JSON.parse(line.slice(6)).model);
    }
    expect([...models]).toEqual([MODEL_OF.openai]);
  });
});

describe('Gemini 3 streamed function-call arguments', () => {
  it('two calls streamed in partialArgs pieces reach openai-node as two calls with complete JSON', async () => {
    const { default: OpenAI } = await import('openai');
    const client = new OpenAI({ baseURL: bed.baseURL, apiKey: bed.key, maxRetries: 0 });
    const tool = (name: string) => ({
      type: 'function' as const,
      function: {
        name,
        parameters: {
          type: 'object',
          properties: {
            city: { type: 'string' },
            days: { type: 'integer', minimum: 1, maximum: 3 },
            stops: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
          },
        },
      },
    });
    const done = await client.chat.completions
      .stream({
        model: 'gemini3-args/gemini-3-pro-preview',
        messages: [{ role: 'user', content: 'Plan two trips' }],
        tools: [tool('plan'), tool('book')],
      })
      .finalChatCompletion();
    const calls = done.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? c.function.name : ''))).toEqual(['plan', 'book']);
    for (const c of calls) {
      if (c.type !== 'function') continue;
      const args = JSON.parse(c.function.arguments);
      expect(args).toMatchObject({ city: expect.any(String), days: expect.any(Number) });
      expect(args.stops[0]).toMatchObject({ name: expect.any(String) });
    }
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
  });
});

describe('rate limits', () => {
  it('a 429 with Retry-After parks the target: admin shows it, the next call is refused without an upstream call', async () => {
    const model = 'limited-gemini/gemini-2.5-flash';
    const first = await post('/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] });
    expect(first.status).toBe(429);
    const upstream = bed.sims.gemini.stats.requests;
    const second = await post('/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(bed.sims.gemini.stats.requests).toBe(upstream);
    const admin = await fetch(`${bed.url}/admin/v1/rate-limits`, {
      headers: { authorization: `Bearer ${bed.adminToken}` },
    });
    const targets = ((await admin.json()) as Json).data.map((d: { target: string }) => d.target);
    expect(targets).toContain(model);
  });
});
