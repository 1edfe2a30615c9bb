// The request-path contract: auth (401), allowed models (403), credits (402), budgets and limits (429 + headers),
// settle/release through the ticket, key lifecycle.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Accounts, createAccounts } from '../../src/accounts/index.js';
import { GatewayError } from '../../src/pipeline/seams.js';
import { gptCost, okOutcome, plan, prices, request } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-adm-'));
let acc: Accounts;
let n = 0;
const fresh = async (over: Partial<Parameters<typeof createAccounts>[0]> = {}) =>
  createAccounts({ store: `sqlite:${path.join(dir, `a${++n}.db`)}`, priceSource: prices, ...over });

async function refusal(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

beforeAll(async () => {
  acc = await fresh();
});
afterAll(async () => {
  await acc.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('auth', () => {
  it('is open with no keys, closed once a key exists', async () => {
    const a = await fresh();
    const t = await a.admission.admit(request(undefined), plan());
    expect(t.keyId).toBeUndefined();
    await a.service.createKey({ name: 'first' });
    const e = await refusal(a.admission.admit(request(undefined), plan()));
    expect([e.status, e.code]).toEqual([401, 'invalid_api_key']);
    await a.close();
  });

  it('authRequired closes it even with no keys', async () => {
    const a = await fresh({ authRequired: true });
    expect((await refusal(a.admission.admit(request(undefined), plan()))).status).toBe(401);
    expect((await refusal(a.admission.admit(request('sk-sy-nothing'), plan()))).status).toBe(401);
    await a.close();
  });

  it('unknown, revoked, disabled and expired keys get 401 that never echo the key', async () => {
    const { key, secret } = await acc.service.createKey({ name: 'life' });
    const ok = await acc.admission.admit(request(secret), plan());
    expect(ok.keyId).toBe(key.id);
    ok.release();
    const bogus = `${secret.slice(0, -2)}xx`;
    const unknown = await refusal(acc.admission.admit(request(bogus), plan()));
    expect(unknown.status).toBe(401);
    expect(unknown.message).not.toContain(bogus.slice(6, 20));

    await acc.service.updateKey(key.id, { enabled: false });
    expect((await refusal(acc.admission.admit(request(secret), plan()))).message).toMatch(/disabled/);
    await acc.service.updateKey(key.id, { enabled: true, expiresAt: Date.now() - 1 });
    expect((await refusal(acc.admission.admit(request(secret), plan()))).message).toMatch(/expired/);
    await acc.service.updateKey(key.id, { expiresAt: undefined });
    (await acc.admission.admit(request(secret), plan())).release();
    await acc.service.revokeKey(key.id);
    const revoked = await refusal(acc.admission.admit(request(secret), plan()));
    expect([revoked.status, revoked.code]).toEqual([401, 'invalid_api_key']);
    expect(revoked.message).toMatch(/revoked/);
    expect(revoked.message).not.toContain(secret);
  });
});

describe('store failure', () => {
  it('fails closed with a 503 that says nothing about the key', async () => {
    const a = await fresh();
    const { secret } = await a.service.createKey({ name: 'down' });
    await a.store.close();
    const e = await refusal(a.admission.admit(request(secret), plan()));
    expect([e.status, e.code, e.headers['retry-after']]).toEqual([503, 'accounts_unavailable', '1']);
    expect(e.message).not.toContain(secret);
  });
});

describe('allowed models', () => {
  it('matches the requested model or every target against glob patterns', async () => {
    const { secret } = await acc.service.createKey({ name: 'm', models: ['openai/*'] });
    (await acc.admission.admit(request(secret), plan('openai/gpt-test'))).release();
    const req = request(secret, { model: 'anthropic/claude-test' });
    const e = await refusal(acc.admission.admit(req, plan('anthropic/claude-test')));
    expect([e.status, e.code]).toEqual([403, 'model_not_allowed']);
    // an alias whose targets are all allowed passes; one with a disallowed target does not
    (
      await acc.admission.admit(request(secret, { model: 'fast' }), plan('openai/gpt-test', 'openai/gpt-test'))
    ).release();
    const mixed = plan('openai/gpt-test', 'anthropic/claude-test');
    expect((await refusal(acc.admission.admit(request(secret, { model: 'fast' }), mixed))).status).toBe(403);
  });
});

describe('credits: reserve → settle', () => {
  it('reserves the max cost over the most expensive target and settles the actual cost', async () => {
    // 1000 in + 500 out: gpt-test = 2,000,000 nanos, claude-test = 3,000,000 + 7,500,000 = 10,500,000 nanos
    const { key, secret } = await acc.service.createKey({ name: 'c', creditsNanos: 20_000_000n });
    const t = await acc.admission.admit(request(secret), plan('openai/gpt-test', 'anthropic/claude-test'));
    expect((await acc.store.usage(key.id, Date.now())).reservedNanos).toBe(10_500_000n);
    const e = await refusal(acc.admission.admit(request(secret), plan('anthropic/claude-test')));
    expect([e.status, e.code]).toEqual([402, 'insufficient_credits']);
    // Says what was needed (the max cost), what is available (balance − what is in flight) and what helps.
    expect(e.message).toContain('needs up to $0.0105 reserved');
    expect(e.message).toContain('~1000 input tokens + max_tokens 500');
    expect(e.message).toContain('this key has $0.0095 available');
    expect(e.message).toContain('Lower max_tokens');
    t.settle(okOutcome(800, 100));
    t.settle(okOutcome(800, 100)); // second call is ignored: exactly once
    await acc.store.flush();
    const u = await acc.store.usage(key.id, Date.now());
    expect(u).toMatchObject({ reservedNanos: 0n, balanceNanos: 20_000_000n - gptCost(800, 100) });
    expect((await acc.store.verify()).ok).toBe(true);
  });

  it('a failed call without usage releases everything; a broken stream with usage is charged', async () => {
    const { key, secret } = await acc.service.createKey({ name: 'f', creditsNanos: 10_000_000n });
    const t1 = await acc.admission.admit(request(secret), plan());
    t1.settle({ ok: false, records: [] });
    const t2 = await acc.admission.admit(request(secret, { stream: true }), plan());
    t2.settle({ ...okOutcome(1000, 20), ok: false });
    await acc.store.flush();
    expect((await acc.store.usage(key.id, Date.now())).balanceNanos).toBe(10_000_000n - gptCost(1000, 20));
  });

  it("the ledger row records the call's upstream attempts; a cache hit made none", async () => {
    const { key, secret } = await acc.service.createKey({ name: 'att', creditsNanos: 100_000_000n });
    const fellBack = await acc.admission.admit(request(secret), plan('openai/gpt-test', 'anthropic/claude-test'));
    fellBack.settle({ ...okOutcome(100, 10), attempts: 2 });
    const hit = await acc.admission.admit(request(secret), plan(), {
      beforeReserve: async () => ({ reserveNanos: 0n }),
    });
    hit.settle({ ...okOutcome(0, 0), cacheHit: { chargedNanos: 0n, savedNanos: 7n } });
    const rows = (await acc.store.listLedger({ keyId: key.id, kind: 'call', limit: 10 })).rows;
    expect(rows.map((r) => [r.cacheHit, r.attempts])).toEqual([
      [true, 0],
      [false, 2],
    ]);
  });

  it('prices usage itself when the outcome has no cost; unknown price is refused for metered keys', async () => {
    const { key, secret } = await acc.service.createKey({ name: 'p', creditsNanos: 10_000_000n });
    const t = await acc.admission.admit(request(secret), plan());
    t.settle(okOutcome(10, 10, false));
    await acc.store.flush();
    expect((await acc.store.usage(key.id, Date.now())).spentNanos).toBe(gptCost(10, 10));
    const e = await refusal(acc.admission.admit(request(secret, { model: 'x/unknown' }), plan('x/unknown')));
    expect([e.status, e.code]).toEqual([402, 'price_unknown']);
    const free = await acc.service.createKey({ name: 'unmetered' });
    (await acc.admission.admit(request(free.secret, { model: 'x/unknown' }), plan('x/unknown'))).release();
  });

  it('an ok call that reported no usage is charged its reservation (the upper bound)', async () => {
    const { key, secret } = await acc.service.createKey({ name: 'nousage', creditsNanos: 10_000_000n });
    const t = await acc.admission.admit(request(secret), plan());
    t.settle({ ok: true, providerId: 'openai', model: 'gpt-test', records: [] });
    await acc.store.flush();
    expect((await acc.store.usage(key.id, Date.now())).balanceNanos).toBe(10_000_000n - gptCost(1000, 500));
  });

  it("unknownPrice 'allow' admits and flags", async () => {
    const a = await fresh({ unknownPrice: 'allow' });
    const { secret } = await a.service.createKey({ name: 'allow', creditsNanos: 1n });
    const t = await a.admission.admit(request(secret, { model: 'x/unknown' }), plan('x/unknown'));
    t.settle({ ok: true, providerId: 'x', model: 'unknown', unknownPrice: true, records: [] });
    await a.store.flush();
    expect((await a.store.spend({ groupBy: 'model' }))[0]).toMatchObject({ group: 'unknown', costNanos: 0n });
    await a.close();
  });
});

describe('budgets and limits', () => {
  it('daily budget → 429 budget_exceeded with retry-after', async () => {
    const { secret } = await acc.service.createKey({ name: 'b', budgets: { dailyNanos: 3_000_000n } });
    const t = await acc.admission.admit(request(secret), plan());
    const e = await refusal(acc.admission.admit(request(secret), plan()));
    expect([e.status, e.code]).toEqual([429, 'budget_exceeded']);
    expect(Number(e.headers['retry-after'])).toBeGreaterThan(0);
    t.release();
  });

  it('rpm → 429 rate_limit_exceeded with x-ratelimit-* and retry-after headers', async () => {
    const { secret } = await acc.service.createKey({ name: 'r', rpm: 2, tpm: 100_000 });
    const t = await acc.admission.admit(request(secret), plan());
    expect(t.headers).toMatchObject({
      'x-ratelimit-limit-requests': '2',
      'x-ratelimit-remaining-requests': '1',
      'x-ratelimit-limit-tokens': '100000',
      'x-ratelimit-remaining-tokens': '98500',
    });
    t.release();
    (await acc.admission.admit(request(secret), plan())).release();
    const e = await refusal(acc.admission.admit(request(secret), plan()));
    expect([e.status, e.code, e.type]).toEqual([429, 'rate_limit_exceeded', 'requests']);
    expect(e.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(Number(e.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
