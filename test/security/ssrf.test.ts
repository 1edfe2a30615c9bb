// No SSRF: nothing a client sends can steer the gateway's upstream host or path. Host and forwarding headers,
// Portkey-style custom-host headers, base-URL fields in the body, and model names that are URLs or traversals
// are tried on every endpoint; a canary listener proves nothing else was called, and the simulators' request
// logs prove every upstream call went to a configured provider's own API path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestbed, type Testbed } from '../support/gateway.js';
import { type Listener, startListener } from './listeners.js';

let bed: Testbed;
let canary: Listener;
let auth: Record<string, string>;

beforeAll(async () => {
  canary = await startListener();
  bed = await startTestbed();
  auth = { authorization: `Bearer ${(await bed.createKey({ name: 'ssrf' })).key}` };
}, 120_000);
afterAll(async () => {
  await bed?.close();
  await canary?.close();
});

const ALLOWED_PATHS = [
  /^\/v1\/chat\/completions$/,
  /^\/v1\/embeddings$/,
  /^\/v1\/messages$/,
  /^\/v1beta\/models\/[A-Za-z0-9.%_-]+:(generateContent|streamGenerateContent\?alt=sse|embedContent|batchEmbedContents)$/,
];

describe('a client cannot choose where the gateway connects', () => {
  it('hostile headers, body fields and model names never reach anything but the configured upstreams', async () => {
    const evil = canary.url;
    const host = new URL(evil).host;
    const headers: Record<string, string>[] = [
      { host },
      { 'x-forwarded-host': host, 'x-forwarded-proto': 'http' },
      { 'x-portkey-custom-host': `${evil}/v1`, 'x-portkey-provider': 'openai' },
      { 'x-switchyard-base-url': evil, 'x-base-url': evil, 'x-upstream': evil, forwarded: `host=${host}` },
      { 'openai-base-url': evil, 'anthropic-base-url': evil },
    ];
    const bodyFields = { base_url: evil, baseURL: evil, api_base: evil, custom_host: evil, url: evil, endpoint: evil };
    const models = [
      evil,
      `${evil}/v1`,
      `openai/${evil}`,
      `openai/../../${host}`,
      'openai/../../../etc/passwd',
      `gemini/../../../${host}/x`,
      'gemini/gemini-2.5-flash/../../../v1beta/cachedContents',
      'gemini/gemini-2.5-flash?key=x#',
      'gemini/gemini-2.5-flash%2F..%2F..%2Fx',
      `anthropic/@${host}`,
      `//${host}/x`,
      `${host}/gpt-4o`,
      'openai/gpt-4o-mini\r\nHost: evil',
    ];
    const paths = ['/v1/chat/completions', '/v1/messages', '/v1/embeddings'];
    let sent = 0;
    for (const path of paths) {
      for (const model of [...models, 'openai/gpt-4o-mini', 'gemini/gemini-2.5-flash']) {
        for (const h of headers) {
          const body =
            path === '/v1/embeddings'
              ? { model, input: 'x', ...bodyFields }
              : { model, max_tokens: 4, messages: [{ role: 'user', content: 'x' }], ...bodyFields };
          const r = await post(`${bed.gw.url}${path}`, body, { ...auth, ...h }).catch((e: Error) => ({
            status: -1,
            text: e.message,
          }));
          sent++;
          expect(r.status, `${path} ${model} ${JSON.stringify(h)}: ${r.text.slice(0, 200)}`).not.toBe(500);
        }
      }
    }
    expect(canary.connections()).toBe(0);
    const upstream = [bed.sims.openai, bed.sims.anthropic, bed.sims.gemini].flatMap((s) => s.requests);
    expect(upstream.length).toBeGreaterThan(0);
    for (const r of upstream) {
      expect(
        ALLOWED_PATHS.some((re) => re.test(r.path)),
        `upstream path ${r.path}`,
      ).toBe(true);
      expect(JSON.stringify(r.headers)).not.toContain(host);
    }
    console.log(
      `[ssrf] ${sent} hostile requests; canary connections ${canary.connections()}; ${upstream.length} upstream calls, all to configured API paths`,
    );
  }, 180_000);

  it('gemini model names are path-encoded, never traversed', async () => {
    bed.sims.gemini.reset();
    await post(
      `${bed.gw.url}/v1/chat/completions`,
      { model: 'gemini/gemini-2.5-flash/../../../v1beta/cachedContents', messages: [{ role: 'user', content: 'x' }] },
      auth,
    );
    expect(bed.sims.gemini.requests.length).toBe(1);
    for (const r of bed.sims.gemini.requests) expect(r.path).toMatch(/^\/v1beta\/models\/[^/]+:generateContent$/);
  });
});
