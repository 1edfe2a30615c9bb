// Access control on a spawned gateway: missing / invalid / revoked / disabled / expired virtual keys → 401 (in
// the endpoint's format), a key outside its model allow-list → 403, virtual keys cannot use the admin API (so
// cannot read anyone's spend), and the admin token is checked in constant time on a fixed-length digest, so
// tokens of any length — shorter, longer, empty, huge — are simply rejected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage } from '../reliability/wire-checks.js';
import { post, sleep, startTestbed, type Testbed } from '../support/gateway.js';

let bed: Testbed;
const k: Record<string, { id: string; key: string }> = {};

beforeAll(async () => {
  bed = await startTestbed({
    routes: {
      mixed: { strategy: 'fallback', targets: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o-mini'] },
      oai: { strategy: 'fallback', targets: ['openai/gpt-4o-mini', 'openai/gpt-4.1'] },
    },
  });
  k.ok = await bed.createKey({ name: 'ok', models: ['openai/*', 'oai'] });
  k.other = await bed.createKey({ name: 'other', credits_usd: '5' });
  k.revoked = await bed.createKey({ name: 'revoked' });
  k.disabled = await bed.createKey({ name: 'disabled' });
  k.expiring = await bed.createKey({ name: 'expiring', expires_at: new Date(Date.now() + 2_000).toISOString() });
  await bed.admin('DELETE', `/v1/keys/${k.revoked?.id}`);
  await bed.admin('PATCH', `/v1/keys/${k.disabled?.id}`, { enabled: false });
  await sleep(2_200); // the expiring key has expired; caches (1 s) have turned over
}, 120_000);
afterAll(() => bed?.close());

const chatBody = (model = 'openai/gpt-4o-mini') => ({
  model,
  max_tokens: 4,
  messages: [{ role: 'user', content: 'x' }],
});
const chat = (headers: Record<string, string>, model?: string) =>
  post(`${bed.gw.url}/v1/chat/completions`, chatBody(model), headers);
const messages = (headers: Record<string, string>) =>
  post(`${bed.gw.url}/v1/messages`, chatBody('anthropic/claude-sonnet-4-5'), headers);
const key = (name: string) => k[name]?.key ?? '';

describe('virtual keys', () => {
  it('a valid key works (both header styles)', async () => {
    expect((await chat({ authorization: `Bearer ${key('other')}` })).status).toBe(200);
    expect((await messages({ 'x-api-key': key('other') })).status).toBe(200);
  });

  it('missing, malformed, unknown, revoked, disabled and expired keys → 401 naming why', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['missing', {}, /no API key/],
      ['empty bearer', { authorization: 'Bearer ' }, /no API key/],
      ['basic auth', { authorization: `Basic ${Buffer.from(`u:${key('ok')}`).toString('base64')}` }, /no API key/],
      ['unknown', { authorization: 'Bearer sk-sy-notakey' }, /not known/],
      ['one char off', { authorization: `Bearer ${key('ok').slice(0, -1)}x` }, /not known/],
      ['revoked', { authorization: `Bearer ${key('revoked')}` }, /revoked/],
      ['disabled', { authorization: `Bearer ${key('disabled')}` }, /disabled/],
      ['expired', { authorization: `Bearer ${key('expiring')}` }, /expired/],
      ['provider key', { authorization: `Bearer ${bed.providerKey}` }, /not known/],
    ];
    for (const [name, headers, why] of cases) {
      const r = await chat(headers);
      expect(r.status, `${name}: ${r.text}`).toBe(401);
      expect(errorMessage(r, 'openai', name)).toMatch(why);
      const m = await messages(headers);
      expect(m.status, name).toBe(401);
      expect(m.json.error.type, name).toBe('authentication_error');
    }
    expect([bed.sims.openai, bed.sims.anthropic].every((s) => s.requests.length <= 2)).toBe(true); // only the 2 valid calls
  });

  it('a key outside its model allow-list → 403; inside (model or every target of a route) → 200', async () => {
    const h = { authorization: `Bearer ${key('ok')}` };
    for (const model of ['anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash', 'mixed']) {
      const r = await chat(h, model);
      expect(r.status, model).toBe(403);
      expect(errorMessage(r, 'openai', model)).toContain(model);
    }
    for (const model of ['openai/gpt-4o-mini', 'oai']) expect((await chat(h, model)).status, model).toBe(200);
  });
});

describe('admin API', () => {
  it('virtual keys cannot use it: no reading another key, its spend, or anything else', async () => {
    for (const path of ['/v1/keys', `/v1/keys/${k.other?.id}`, `/v1/keys/${k.ok?.id}`, '/v1/spend?group_by=key']) {
      for (const t of [key('ok'), key('other')]) {
        const r = await bed.admin('GET', path, undefined, t);
        expect(r.status, path).toBe(401);
        expect(r.json.error.code).toBe('invalid_admin_token');
      }
    }
    const credit = await bed.admin(
      'POST',
      `/v1/keys/${k.ok?.id}/credits`,
      { amount_usd: '1000', reason: 'x', idempotency_key: 'i' },
      key('ok'),
    );
    expect(credit.status).toBe(401);
  });

  it('tokens of every wrong length and shape are rejected; the right one works', async () => {
    const t = bed.adminToken;
    const wrong = [
      '',
      'x',
      t.slice(0, -1),
      `${t}x`,
      t.toUpperCase(),
      ` ${t}`,
      t.repeat(2),
      'a'.repeat(8_000),
      `${t}\u00e9`,
    ];
    for (const w of wrong) {
      const res = await fetch(`${bed.gw.url}/admin/v1/keys`, {
        headers: { authorization: `Bearer ${w}` },
        signal: AbortSignal.timeout(5_000),
      });
      expect(res.status, `length ${w.length}`).toBe(401);
      await res.arrayBuffer();
    }
    const shapes: Record<string, string>[] = [
      {},
      { authorization: t },
      { 'x-admin-token': t },
      { authorization: `Basic ${t}` },
    ];
    for (const headers of shapes) {
      const res = await fetch(`${bed.gw.url}/admin/v1/keys`, { headers, signal: AbortSignal.timeout(5_000) });
      expect(res.status).toBe(401);
      await res.arrayBuffer();
    }
    const inQuery = await fetch(`${bed.gw.url}/admin/v1/keys?token=${t}`, { signal: AbortSignal.timeout(5_000) });
    expect(inQuery.status).toBe(401);
    expect((await bed.admin('GET', '/v1/keys')).status).toBe(200);
  });
});
