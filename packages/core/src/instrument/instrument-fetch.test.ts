import { type Simulator, startSimulator } from '@switchyard/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, waitFor } from '../test-support/harness.js';
import { instrumentFetch } from './instrument-fetch.js';

let oai: Simulator;
let ant: Simulator;
let gem: Simulator;
beforeAll(async () => {
  [oai, ant, gem] = await Promise.all([
    startSimulator({ provider: 'openai', port: 0 }),
    startSimulator({ provider: 'anthropic', port: 0 }),
    startSimulator({ provider: 'gemini', port: 0 }),
  ]);
});
afterAll(async () => {
  await Promise.all([oai.close(), ant.close(), gem.close()]);
});

function setup() {
  const h = harness();
  const f = instrumentFetch(fetch, {
    ...h.options,
    baseUrls: { [`${oai.url}/v1`]: 'openai', [ant.url]: 'anthropic', [gem.url]: 'gemini' },
  });
  return { ...h, f };
}

const post = (body: object, scenario?: string): RequestInit => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    authorization: 'Bearer sk-test',
    'x-api-key': 'k',
    'x-goog-api-key': 'k',
    'anthropic-version': '2023-06-01',
    ...(scenario && { 'x-sim-scenario': scenario }),
  },
  body: JSON.stringify(body),
});
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi there' }] };

describe('instrumentFetch against the simulators', () => {
  it('OpenAI JSON: body untouched, usage from the body', async () => {
    const { f, records } = setup();
    const res = await f(`${oai.url}/v1/chat/completions`, post(chat));
    const json = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    await waitFor(records, 1);
    expect(records[0]).toMatchObject({
      provider: 'openai',
      operation: 'chat',
      outcome: 'ok',
      usage: { inputTokens: json.usage.prompt_tokens, outputTokens: json.usage.completion_tokens },
    });
  });

  it('OpenAI stream: bytes pass through; usage from the usage chunk', async () => {
    const { f, records } = setup();
    const res = await f(
      `${oai.url}/v1/chat/completions`,
      post({ ...chat, stream: true, stream_options: { include_usage: true } }),
    );
    const text = await res.text();
    expect(text).toContain('data: [DONE]');
    await waitFor(records, 1);
    expect(records[0]).toMatchObject({ streaming: true, outcome: 'ok', usage: { source: 'provider' } });
    expect(records[0]?.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it('HTTP errors are classified from the body, and the caller still reads it', async () => {
    const { f, records } = setup();
    const res = await f(`${oai.url}/v1/chat/completions`, post(chat, 'quota_exhausted'));
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('insufficient_quota');
    await waitFor(records, 1);
    expect(records[0]?.error?.errorClass).toBe('quota_exhausted');
  });

  it('Anthropic stream with an in-stream error event', async () => {
    const { f, records } = setup();
    const res = await f(
      `${ant.url}/v1/messages`,
      post(
        { model: 'claude-sonnet-4-5', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'x' }] },
        'stream_error_event',
      ),
    );
    await res.text();
    await waitFor(records, 1);
    expect(records[0]).toMatchObject({ provider: 'anthropic', outcome: 'error', error: { errorClass: 'overloaded' } });
  });

  it('Gemini stream; cancelling the body is recorded as cancelled; other URLs untouched', async () => {
    const { f, records } = setup();
    const res = await f(
      `${gem.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      post({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    );
    await res.text();
    const res2 = await f(
      `${gem.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`,
      post(
        { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
        JSON.stringify({ outputTokens: 50, chunkDelayMs: 5 }),
      ),
    );
    const reader = res2.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    const models = await f(`${oai.url}/v1/models`, { headers: { authorization: 'Bearer sk-test' } });
    expect(models.status).toBe(200);
    await waitFor(records, 2);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      provider: 'gemini',
      requestModel: 'gemini-2.5-flash',
      outcome: 'ok',
      usage: { source: 'provider' },
    });
    expect(records[1]?.error?.errorClass).toBe('cancelled');
  });

  it('connection refused: the same error, recorded as connection', async () => {
    const { f, records } = setup();
    const dead = await startSimulator({ provider: 'openai', port: 0 });
    const url = dead.url;
    await dead.close();
    const f2 = instrumentFetch(fetch, {
      ...harness().options,
      onRecord: (r) => records.push(r),
      baseUrls: { [url]: 'openai' },
    });
    await expect(f2(`${url}/v1/chat/completions`, post(chat))).rejects.toThrow(TypeError);
    await waitFor(records, 1);
    expect(records[0]?.error?.errorClass).toBe('connection');
    void f;
  });
});
