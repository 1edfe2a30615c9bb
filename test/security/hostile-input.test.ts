// #13 input hardening against a real gateway process (SQLite accounts, keys exist): authentication before anything
// about the body, model names that collide with Object.prototype, invalid UTF-8 (fast reader and express.json
// paths), and wrong JSON types named as such.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startTestbed, type Testbed } from '../support/gateway.js';

let bed: Testbed;
let good: Record<string, string>;
beforeAll(async () => {
  bed = await startTestbed();
  good = { authorization: `Bearer ${(await bed.createKey({ name: 'hostile' })).key}` };
}, 120_000);
afterAll(() => bed?.close());

const ENDPOINTS = ['/v1/chat/completions', '/v1/messages', '/v1/embeddings', '/v1/responses'] as const;
const BAD_KEY = { authorization: 'Bearer sk-sy-not-a-real-key-000000000000', 'x-api-key': 'sk-sy-not-a-real-key-0000' };
const call = (path: string, body: unknown, headers: Record<string, string>) =>
  post(`${bed.gw.url}${path}`, body, headers, 15_000);

describe('authentication comes first', () => {
  const badBodies: Array<[string, unknown, Record<string, string>]> = [
    ['invalid body', { model: 'openai/gpt-4o-mini', messages: 'nope', input: 3 }, {}],
    [
      'unknown model',
      { model: 'nope/nope', messages: [{ role: 'user', content: 'x' }], max_tokens: 1, input: 'x' },
      {},
    ],
    ['not JSON', '{"model":', {}],
    ['wrong content type', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['constructor model', { model: 'constructor/x', messages: [{ role: 'user', content: 'x' }], max_tokens: 1 }, {}],
  ];
  for (const path of ENDPOINTS)
    it.each(badBodies)(`${path}: bad key + %s → 401`, async (_name, body, headers) => {
      const r = await call(path, body, { ...BAD_KEY, ...headers });
      expect(r.status).toBe(401);
      expect(r.text).not.toMatch(/not-a-real-key/);
    });
});

describe('model names that are Object.prototype keys', () => {
  for (const path of ENDPOINTS)
    it.each(['constructor/x', '__proto__/x', 'toString/x', 'hasOwnProperty/x', 'valueOf/y', '__proto__'])(
      `${path}: %s → 404 model_not_found, no stack trace`,
      async (model) => {
        const body =
          path === '/v1/embeddings' || path === '/v1/responses'
            ? { model, input: 'x' }
            : { model, max_tokens: 4, messages: [{ role: 'user', content: 'x' }] };
        const r = await call(path, body, good);
        expect(r.status).toBe(404);
        expect(r.text).toMatch(/does not exist|not_found/);
        expect(r.text).not.toMatch(/at .*\.(ts|js):\d+|TypeError/);
      },
    );
  it('nothing was logged as a crash', () => {
    expect(bed.gw.stderr() + bed.gw.stdout()).not.toMatch(/TypeError|Cannot read properties/);
    expect(bed.gw.alive()).toBe(true);
  });
});

describe('invalid UTF-8 → 400, never forwarded with replacement characters', () => {
  const body = Buffer.concat([
    Buffer.from('{"model":"openai/gpt-4o-mini","max_tokens":4,"messages":[{"role":"user","content":"'),
    Buffer.from([0xc3, 0x28, 0xff]),
    Buffer.from('"}]}'),
  ]);
  it('plain body (fast reader)', async () => {
    const r = await call('/v1/chat/completions', body, good);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/not valid UTF-8/);
  });
  it('gzip body (express.json)', async () => {
    const r = await call('/v1/chat/completions', gzipSync(body), { ...good, 'content-encoding': 'gzip' });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/not valid UTF-8/);
  });
  it('valid UTF-8 (multi-byte) passes', async () => {
    const ok = { model: 'openai/gpt-4o-mini', max_tokens: 4, messages: [{ role: 'user', content: 'héllo 世界 🎉' }] };
    expect((await call('/v1/chat/completions', ok, good)).status).toBe(200);
  });
});

describe('wrong JSON types are named, not "missing"', () => {
  const base = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] };
  it.each([
    ['max_tokens', 1.5, /Invalid type for 'max_tokens': expected an integer, got the number 1\.5/],
    ['max_tokens', '100', /Invalid type for 'max_tokens': expected a number, got the string \\"100\\"/],
    ['stream', 'true', /Invalid type for 'stream': expected a boolean, got the string \\"true\\"/],
  ])('%s: %j → 400 naming the field and the type', async (field, value, message) => {
    const r = await call('/v1/chat/completions', { ...base, [field]: value }, good);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(message);
    expect(r.text).not.toMatch(/Missing required/);
    expect((r.json as { error: { param: string } }).error.param).toBe(field);
  });
  it('a really missing field is still "Missing required parameter"', async () => {
    const r = await call('/v1/chat/completions', { model: 'openai/gpt-4o-mini' }, good);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/Missing required parameter: 'messages'/);
  });
});
