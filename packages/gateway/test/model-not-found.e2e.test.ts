// An unknown model is a 404 `model_not_found` naming close matches, in the endpoint's own error format — never a
// 402 `price_unknown` or a forwarded typo. Which names count as known follows config/model-directory.ts: a provider's
// `models:` list, configured prices, route targets and (openai / anthropic / gemini kinds) the price catalog; an
// openai-compatible provider without a list forwards whatever is named.
import { type AllSimulators, startAllSimulators } from '@switchyard/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/load-config.js';
import { listen, type RunningGateway } from '../src/http/listen.js';
import { silentLog, UPSTREAM_KEY } from './helpers.js';

let sims: AllSimulators;
let gw: RunningGateway;

beforeAll(async () => {
  sims = await startAllSimulators({ apiKey: UPSTREAM_KEY });
  const openaiURL = `${sims.openai.url}/v1`;
  const config = validateConfig({
    server: { host: '127.0.0.1', port: 0 },
    providers: {
      openai: { kind: 'openai', apiKey: UPSTREAM_KEY, baseURL: openaiURL, models: ['gpt-4o-mini'] },
      anthropic: {
        kind: 'anthropic',
        apiKey: UPSTREAM_KEY,
        baseURL: sims.anthropic.url,
        models: ['claude-sonnet-4-5'],
      },
      gemini: { kind: 'gemini', apiKey: UPSTREAM_KEY, baseURL: sims.gemini.url, models: ['text-embedding-004'] },
      // The official API (no baseURL): the catalog decides; nothing here is ever forwarded (typos only).
      official: { kind: 'openai', apiKey: UPSTREAM_KEY },
      // Gemini at the simulator without a list is forwarded as named; `officialgemini` is checked like the real one.
      officialgemini: { kind: 'gemini', apiKey: UPSTREAM_KEY },
      local: { kind: 'openai-compatible', apiKey: UPSTREAM_KEY, baseURL: openaiURL, models: ['llama-3.3-70b'] },
      anyhost: { kind: 'openai-compatible', apiKey: UPSTREAM_KEY, baseURL: openaiURL },
    },
    routes: { smart: { targets: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o-mini'] } },
    prices: { 'local/priced-only': { input: '1', output: '2' } },
  });
  gw = await listen(config, { log: silentLog });
}, 60_000);

afterAll(async () => {
  await gw?.close(2_000);
  await sims?.close();
});

const post = async (path: string, body: object, headers: Record<string, string> = {}) => {
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: wire JSON, each field checked by the assertions
  return { status: res.status, json: (await res.json()) as Record<string, any> };
};
const chat = (model: string) => post('/v1/chat/completions', { model, messages: [{ role: 'user', content: 'hi' }] });

describe('unknown model: 404 model_not_found with close matches', () => {
  it.each([
    ['openai/gpt-4o-mna', 'openai/gpt-4o-mini'], // typo under a valid provider
    ['gpt-4o-mini', 'openai/gpt-4o-mini'], // provider left out
    ['smrat', 'smart'], // alias typo
    ['opneai/gpt-4o-mini', 'openai/gpt-4o-mini'], // provider typo
    ['anthropic/claude-sonet-4-5', 'anthropic/claude-sonnet-4-5'],
    ['official/gpt-4o-mna', 'official/gpt-4o-mini'], // catalog-checked official provider
    ['local/llama-3.3-7b', 'local/llama-3.3-70b'], // openai-compatible with a models list
    ['officialgemini/text-embeding-004', 'officialgemini/text-embedding-004'], // known, though the catalog has no price
  ])('%s → suggests %s (OpenAI format)', async (model, suggestion) => {
    const r = await chat(model);
    expect(r.status).toBe(404);
    expect(r.json.error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found', param: 'model' });
    expect(r.json.error.message).toContain(`\`${suggestion}\``);
  });

  it('on /v1/embeddings too', async () => {
    const r = await post('/v1/embeddings', { model: 'gemini/text-embeding-004', input: 'x' });
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('model_not_found');
    expect(r.json.error.message).toContain('`gemini/text-embedding-004`');
  });

  it('in Anthropic format on /v1/messages', async () => {
    const r = await post(
      '/v1/messages',
      { model: 'anthropic/claude-sonet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(r.status).toBe(404);
    expect(r.json.type).toBe('error');
    expect(r.json.error.type).toBe('not_found_error');
    expect(r.json.error.message).toContain('`anthropic/claude-sonnet-4-5`');
  });
});

describe('known models are served', () => {
  it.each([
    'openai/gpt-4o-mini', // listed
    'openai/gpt-4.1', // not listed, but the catalog knows it (the list adds to the catalog)
    'local/llama-3.3-70b', // listed on an openai-compatible provider
    'local/priced-only', // an operator price makes a model known
    'anyhost/whatever-the-server-serves', // openai-compatible without a list: forwarded as named
    'smart',
  ])('%s', async (model) => {
    const r = await chat(model);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
  });

  it('GET /v1/models lists each model with its type', async () => {
    const res = await fetch(`${gw.url}/v1/models`);
    const { data } = (await res.json()) as { data: Array<{ id: string; type: string; owned_by: string }> };
    expect(data).toContainEqual(expect.objectContaining({ id: 'gemini/text-embedding-004', type: 'embedding' }));
    expect(data).toContainEqual(
      expect.objectContaining({ id: 'openai/gpt-4o-mini', type: 'chat', owned_by: 'openai' }),
    );
    expect(data).toContainEqual(expect.objectContaining({ id: 'smart', type: 'chat', owned_by: 'switchyard' }));
  });
});
