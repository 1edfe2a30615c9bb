// The admin API contract of issue 7: auth, key lifecycle, idempotent credits, spend JSON + CSV.

import { describe, expect, it } from 'vitest';
import { useAdminBed } from './admin-bed.js';
import { okOutcome, plan, request } from './helpers.js';

const TOKEN = 'admin-test-token-123';
const bed = useAdminBed(TOKEN);
const call = bed.call;

describe('admin auth', () => {
  it('is off without a token', () => {
    expect(bed.acc.adminRouter(undefined)).toBeUndefined();
    expect(bed.acc.adminRouter('')).toBeUndefined();
  });

  it('missing or wrong token → 401 in OpenAI error format', async () => {
    for (const token of [null, 'wrong', `${TOKEN}x`, '']) {
      const r = await call('GET', '/v1/keys', undefined, token);
      expect(r.status).toBe(401);
      expect(r.json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_admin_token' });
      expect(r.text).not.toContain(TOKEN);
    }
  });
});

describe('keys', () => {
  it('create shows the key once; get/list/patch/delete never show it', async () => {
    const c = await call('POST', '/v1/keys', {
      name: 'team-a',
      credits_usd: '12.50',
      budgets: { daily_usd: 5, monthly_usd: '100' },
      models: ['openai/*'],
      rpm: 60,
      tpm: 100000,
      max_concurrency: 4,
      expires_at: '2099-01-01T00:00:00Z',
      tags: ['team-a'],
    });
    expect(c.status).toBe(201);
    expect(c.json.key).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
    expect(c.json).toMatchObject({
      name: 'team-a',
      balance_usd: '12.50',
      reserved_usd: '0.00',
      spent_usd: '0.00',
      budgets: { daily_usd: '5.00', monthly_usd: '100.00', total_usd: null },
      rpm: 60,
      max_concurrency: 4,
      expires_at: '2099-01-01T00:00:00.000Z',
      status: 'active',
    });
    const id = c.json.id as string;
    const secret = c.json.key as string;

    const g = await call('GET', `/v1/keys/${id}`);
    expect(g.json).toMatchObject({ id, balance_usd: '12.50', reserved_usd: '0.00', spent_usd: '0.00' });
    expect(g.text).not.toContain(secret);
    const l = await call('GET', '/v1/keys');
    expect(l.json.data.map((k: { id: string }) => k.id)).toContain(id);
    expect(l.text).not.toContain(secret);

    const p = await call('PATCH', `/v1/keys/${id}`, { rpm: null, enabled: false, budgets: { total_usd: '1.5' } });
    expect(p.json).toMatchObject({
      rpm: null,
      enabled: false,
      status: 'disabled',
      budgets: { daily_usd: '5.00', monthly_usd: '100.00', total_usd: '1.50' },
    });
    const p2 = await call('PATCH', `/v1/keys/${id}`, { budgets: { daily_usd: null } });
    expect(p2.json.budgets).toEqual({ daily_usd: null, monthly_usd: '100.00', total_usd: '1.50' });

    const d = await call('DELETE', `/v1/keys/${id}`);
    expect(d.json).toMatchObject({ id, status: 'revoked' });
    expect((await call('GET', '/v1/keys/key_missing')).status).toBe(404);
  });

  it('validates input with OpenAI-format 400s', async () => {
    const r = await call('POST', '/v1/keys', { name: 'x', credits_usd: '1.2.3' });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ type: 'invalid_request_error', param: 'credits_usd' });
    expect((await call('POST', '/v1/keys', { credits_usd: 1 })).status).toBe(400);
    expect((await call('POST', '/v1/keys', { name: 'x', extra: 1 })).status).toBe(400);
    const raw = await fetch(`${bed.url}/admin/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });
});

describe('credits', () => {
  it('top-ups are idempotent by idempotency_key and adjustments may be negative', async () => {
    const c = await call('POST', '/v1/keys', { name: 'credits' });
    const id = c.json.id as string;
    expect(c.json.balance_usd).toBeNull();
    const body = { amount_usd: '10', reason: 'invoice 42', idempotency_key: 'inv-42' };
    const a = await call('POST', `/v1/keys/${id}/credits`, body);
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({ applied: true, balance_usd: '10.00', amount_usd: '10.00' });
    const b = await call('POST', `/v1/keys/${id}/credits`, body);
    expect(b.status).toBe(200);
    expect(b.json).toMatchObject({ applied: false, balance_usd: '10.00' });
    const adj = await call('POST', `/v1/keys/${id}/credits`, {
      amount_usd: -2.25,
      reason: 'refund',
      idempotency_key: 'r1',
    });
    expect(adj.json.balance_usd).toBe('7.75');
    expect((await call('GET', `/v1/keys/${id}`)).json.balance_usd).toBe('7.75');
  });
});

describe('spend', () => {
  it('groups by key/provider/model/day in JSON and CSV', async () => {
    const c = await call('POST', '/v1/keys', { name: 'spender', credits_usd: 1 });
    for (let i = 0; i < 3; i++) {
      const t = await bed.acc.admission.admit(request(c.json.key), plan());
      t.settle(okOutcome(1000, 500)); // $0.002 each
    }
    const byKey = await call('GET', '/admin/v1/spend?group_by=key'.replace('/admin', ''));
    expect(byKey.json.data).toContainEqual({
      key: c.json.id,
      requests: 3,
      input_tokens: 3000,
      output_tokens: 1500,
      cost_usd: '0.006',
    });
    const csv = await call('GET', '/v1/spend?group_by=model&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.text.split('\n')[0]).toBe('model,requests,input_tokens,output_tokens,cost_usd');
    expect(csv.text).toContain('gpt-test,3,3000,1500,0.006');
    const day = new Date().toISOString().slice(0, 10);
    const byDay = await call('GET', `/v1/spend?group_by=day&from=${day}`);
    expect(byDay.json.data[0]).toMatchObject({ day, requests: 3 });
    const none = await call('GET', '/v1/spend?group_by=day&to=2000-01-01');
    expect(none.json).toMatchObject({ data: [], total_usd: '0.00' });
    expect((await call('GET', '/v1/spend?group_by=user')).status).toBe(400);
    expect((await call('GET', `/v1/keys/${c.json.id}`)).json.spent_usd).toBe('0.006');
  });
});
