// ONE behavioural suite for every AccountStore (hono's common.case.test style). A store may skip a case only
// with a written reason, listed by the caller.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endUserAccount } from '../../src/accounts/end-users.js';
import type { AccountStore, ReserveRequest } from '../../src/accounts/types.js';
import { callEntry, keyRecord, sleep } from './helpers.js';

export interface ConformanceOptions {
  name: string;
  open(): Promise<AccountStore>;
  skip?: { reason: string; tests: string[] }[];
}

export function runStoreConformance(o: ConformanceOptions) {
  const skipped = new Map<string, string>();
  for (const s of o.skip ?? []) for (const t of s.tests) skipped.set(t, s.reason);
  let store: AccountStore;
  const test = (name: string, fn: () => Promise<void>) =>
    skipped.has(name) ? it.skip(`${name} (skipped: ${skipped.get(name)})`, fn) : it(name, fn);

  let n = 0;
  const reserveReq = (key: ReserveRequest['key'], amount: bigint, over: Partial<ReserveRequest> = {}) => ({
    key,
    reservationId: `res_${Date.now()}_${++n}`,
    amountNanos: amount,
    tokens: 100,
    ttlMs: 60_000,
    now: Date.now(),
    ...over,
  });
  const credited = async (amount: bigint, over = {}) => {
    const { key } = keyRecord({ credits: true, ...over });
    await store.insertKey(key, {
      keyId: key.id,
      amountNanos: amount,
      reason: 'init',
      idempotencyKey: 'init',
      at: Date.now(),
    });
    return key;
  };

  describe(`AccountStore conformance: ${o.name}`, () => {
    beforeAll(async () => {
      store = await o.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    test('keys: insert, find by hash, get, list, count, update', async () => {
      const before = await store.countKeys();
      const { key } = keyRecord({ name: 'k1', models: ['openai/*'], rpm: 10, tags: ['team-a'] });
      await store.insertKey(key);
      expect(await store.findKeyByHash(key.hash)).toEqual(key);
      expect(await store.findKeyByHash('00'.repeat(32))).toBeUndefined();
      expect(await store.getKey(key.id)).toEqual(key);
      expect((await store.listKeys()).map((k) => k.id)).toContain(key.id);
      expect(await store.countKeys()).toBe(before + 1);
      const upd = await store.updateKey(key.id, { name: 'k2', rpm: undefined, budgets: { dailyNanos: 5n } });
      expect(upd?.name).toBe('k2');
      expect(upd?.rpm).toBeUndefined();
      expect(await store.getKey(key.id)).toEqual(upd);
      expect(await store.updateKey('key_nope', { name: 'x' })).toBeUndefined();
    });

    test('credits: top-ups are idempotent by idempotency key', async () => {
      const key = await credited(1000n);
      const m = { keyId: key.id, amountNanos: 500n, reason: 'top-up', idempotencyKey: 'pay-1', at: Date.now() };
      expect(await store.addCredits(m)).toEqual({ applied: true });
      expect(await store.addCredits(m)).toEqual({ applied: false });
      expect(await store.addCredits({ ...m, idempotencyKey: 'adj-1', amountNanos: -200n })).toEqual({ applied: true });
      expect((await store.usage(key.id, Date.now())).balanceNanos).toBe(1300n);
      expect((await store.verify()).ok).toBe(true);
    });

    test('reserve: fits exactly, then refuses; release frees the money', async () => {
      const key = await credited(1000n);
      const a = await store.reserve(reserveReq(key, 600n));
      expect(a.ok).toBe(true);
      const b = await store.reserve(reserveReq(key, 401n));
      expect(b).toMatchObject({ ok: false, reason: 'insufficient_credits' });
      const c = await store.reserve(reserveReq(key, 400n));
      expect(c.ok).toBe(true);
      expect((await store.usage(key.id, Date.now())).reservedNanos).toBe(1000n);
      if (a.ok) await store.release(a.reservation);
      expect((await store.usage(key.id, Date.now())).reservedNanos).toBe(400n);
      expect((await store.reserve(reserveReq(key, 600n))).ok).toBe(true);
    });

    test('settle: charges the actual cost, releases the rest, ledger agrees', async () => {
      const key = await credited(10_000n);
      const r = await store.reserve(reserveReq(key, 4000n));
      if (!r.ok) throw new Error('refused');
      await store.settle(r.reservation, callEntry(key.id, r.reservation.id, 1234n));
      await store.flush();
      const u = await store.usage(key.id, Date.now());
      expect(u).toMatchObject({ balanceNanos: 8766n, reservedNanos: 0n, spentNanos: 1234n, spentDayNanos: 1234n });
      const v = await store.verify();
      expect(v.mismatches).toEqual([]);
    });

    test('a call row keeps its upstream attempts (a fallback: 2; a cache hit: 0); absent reads back unknown', async () => {
      const key = await credited(10_000n);
      const ids: string[] = [];
      for (const attempts of [2, 0, undefined]) {
        const r = await store.reserve(reserveReq(key, 100n));
        if (!r.ok) throw new Error('refused');
        ids.push(r.reservation.id);
        await store.settle(r.reservation, {
          ...callEntry(key.id, r.reservation.id, 10n),
          ...(attempts !== undefined && { attempts }),
        });
      }
      const rows = (await store.listLedger({ keyId: key.id, kind: 'call', limit: 10 })).rows;
      expect(rows.map((r) => [r.requestId, r.attempts])).toEqual([
        [ids[2], undefined],
        [ids[1], 0],
        [ids[0], 2],
      ]);
      expect((await store.verify()).mismatches).toEqual([]);
    });

    test('keys without credits: no balance, spend still counted', async () => {
      const { key } = keyRecord();
      await store.insertKey(key);
      const r = await store.reserve(reserveReq(key, 10n ** 15n));
      expect(r.ok).toBe(true);
      if (r.ok) await store.settle(r.reservation, callEntry(key.id, r.reservation.id, 77n, 0n));
      await store.flush();
      expect(await store.usage(key.id, Date.now())).toMatchObject({ balanceNanos: null, spentNanos: 77n });
    });

    test('budgets: spent + reserved + amount may not pass daily / total', async () => {
      const { key } = keyRecord({ budgets: { dailyNanos: 1000n, totalNanos: 5000n } });
      await store.insertKey(key);
      const a = await store.reserve(reserveReq(key, 700n));
      expect(a.ok).toBe(true);
      const b = await store.reserve(reserveReq(key, 301n));
      expect(b).toMatchObject({ ok: false, reason: 'budget_daily' });
      expect(b.ok === false && b.retryAfterMs! > 0).toBe(true);
      // retry after the next UTC midnight, not a day later
      expect(b.ok === false && b.retryAfterMs! <= 86_400_000).toBe(true);
      if (a.ok) await store.settle(a.reservation, callEntry(key.id, a.reservation.id, 900n, 0n));
      expect((await store.reserve(reserveReq(key, 100n))).ok).toBe(true);
      const { key: k2 } = keyRecord({ budgets: { totalNanos: 50n } });
      await store.insertKey(k2);
      expect(await store.reserve(reserveReq(k2, 51n))).toMatchObject({ ok: false, reason: 'budget_total' });
    });

    test('concurrency: exactly max_concurrency open reservations', async () => {
      const { key } = keyRecord({ maxConcurrency: 3 });
      await store.insertKey(key);
      const rs = await Promise.all(Array.from({ length: 10 }, () => store.reserve(reserveReq(key, 1n))));
      expect(rs.filter((r) => r.ok)).toHaveLength(3);
      expect(rs.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'concurrency')).toBe(true);
      const first = rs.find((r) => r.ok);
      if (first?.ok) await store.release(first.reservation);
      expect((await store.reserve(reserveReq(key, 1n))).ok).toBe(true);
    });

    test('rpm: a bucket of `rpm` requests, then 429 with a retry delay', async () => {
      const { key } = keyRecord({ rpm: 5 });
      await store.insertKey(key);
      const rs = [];
      for (let i = 0; i < 7; i++) rs.push(await store.reserve(reserveReq(key, 0n)));
      expect(rs.filter((r) => r.ok)).toHaveLength(5);
      const last = rs[6]!;
      expect(last).toMatchObject({ ok: false, reason: 'rpm' });
      expect(last.ok === false && last.retryAfterMs! > 0 && last.retryAfterMs! <= 12_000).toBe(true);
      expect(last.rate.requests).toMatchObject({ limit: 5, remaining: 0 });
    });

    test('tpm: counted with the estimate, corrected at settle', async () => {
      const { key } = keyRecord({ tpm: 1000 });
      await store.insertKey(key);
      const a = await store.reserve(reserveReq(key, 0n, { tokens: 800 }));
      expect(a.ok).toBe(true);
      expect(await store.reserve(reserveReq(key, 0n, { tokens: 300 }))).toMatchObject({ ok: false, reason: 'tpm' });
      // actual usage was 150 tokens: 650 go back to the bucket
      if (a.ok) await store.settle(a.reservation, callEntry(key.id, a.reservation.id, 0n));
      expect((await store.reserve(reserveReq(key, 0n, { tokens: 800 }))).ok).toBe(true);
    });

    test('expired reservations are reaped and free the money', async () => {
      const key = await credited(1000n);
      // A TTL far above a loaded box's round trip: the second reserve must still see the first one open.
      expect((await store.reserve(reserveReq(key, 1000n, { ttlMs: 1_500 }))).ok).toBe(true);
      expect((await store.reserve(reserveReq(key, 1n))).ok).toBe(false);
      await sleep(2_000);
      expect((await store.usage(key.id, Date.now())).reservedNanos).toBe(0n);
      expect((await store.reserve(reserveReq(key, 1000n))).ok).toBe(true);
    });

    test('usage counts open reservations: reserve adds, settle / release / expiry remove', async () => {
      const key = await credited(10_000n);
      const open = async () => (await store.usage(key.id, Date.now())).openReservations;
      expect(await open()).toBe(0);
      const a = await store.reserve(reserveReq(key, 100n));
      const b = await store.reserve(reserveReq(key, 100n));
      expect((await store.reserve(reserveReq(key, 100n, { ttlMs: 1_500 }))).ok).toBe(true);
      expect(await open()).toBe(3);
      if (a.ok) await store.settle(a.reservation, callEntry(key.id, a.reservation.id, 50n));
      if (b.ok) await store.release(b.reservation);
      expect(await open()).toBe(1);
      await sleep(2_000);
      expect(await open()).toBe(0); // the short one expired
    });

    test('settle after expiry still charges (money is never lost)', async () => {
      const key = await credited(1000n);
      const r = await store.reserve(reserveReq(key, 500n, { ttlMs: 100 }));
      await sleep(250);
      await store.reapExpired(Date.now());
      if (r.ok) await store.settle(r.reservation, callEntry(key.id, r.reservation.id, 300n));
      await store.flush();
      expect(await store.usage(key.id, Date.now())).toMatchObject({ balanceNanos: 700n, reservedNanos: 0n });
      expect((await store.verify()).ok).toBe(true);
    });

    test("end-user level: budget and rpm checked and held with the key's; release and settle", async () => {
      const { key } = keyRecord({ credits: true });
      await store.insertKey(key, { keyId: key.id, amountNanos: 10n ** 9n, reason: 'i', idempotencyKey: 'i', at: 0 });
      const user = (name: string) => ({
        account: endUserAccount(key.id, 0, name),
        limits: { budgets: { dailyNanos: 1000n }, rpm: 3 },
      });
      const a = await store.reserve(reserveReq(key, 600n, { endUser: user('u1') }));
      expect(a.ok && a.reservation.endUserAccount).toBe(user('u1').account);
      const b = await store.reserve(reserveReq(key, 401n, { endUser: user('u1') }));
      expect(b).toMatchObject({ ok: false, reason: 'end_user_budget_daily' });
      expect((await store.reserve(reserveReq(key, 401n, { endUser: user('u2') }))).ok).toBe(true);
      expect((await store.usage(user('u1').account, Date.now())).reservedNanos).toBe(600n);
      if (a.ok) await store.release(a.reservation);
      expect((await store.usage(user('u1').account, Date.now())).reservedNanos).toBe(0n);
      const c = await store.reserve(reserveReq(key, 1000n, { endUser: user('u1') }));
      expect(c.ok).toBe(true);
      if (c.ok) await store.settle(c.reservation, { ...callEntry(key.id, c.reservation.id, 1000n), endUser: 'u1' });
      await store.flush();
      expect(await store.usage(user('u1').account, Date.now())).toMatchObject({
        balanceNanos: null,
        reservedNanos: 0n,
        spentDayNanos: 1000n,
      });
      expect((await store.usage(key.id, Date.now())).balanceNanos).toBe(10n ** 9n - 1000n - 0n);
      // rpm 3: a and c consumed two; the third passes, the fourth waits (before the exhausted budget is looked at)
      expect((await store.reserve(reserveReq(key, 0n, { endUser: user('u1') }))).ok).toBe(true);
      expect(await store.reserve(reserveReq(key, 0n, { endUser: user('u1') }))).toMatchObject({
        ok: false,
        reason: 'end_user_rpm',
      });
      const day = Date.now() - 60_000;
      expect(await store.endUsers({ scope: key.id, limit: 10, dayStart: day, monthStart: 0 })).toEqual([
        { endUser: 'u1', spentNanos: 1000n, spentDayNanos: 1000n, spentMonthNanos: 1000n },
      ]);
      const later = Date.now() + 60_000; // nothing after it: today's and this month's figures are 0
      expect(await store.endUsers({ scope: key.id, limit: 10, dayStart: later, monthStart: later })).toEqual([
        { endUser: 'u1', spentNanos: 1000n, spentDayNanos: 0n, spentMonthNanos: 0n },
      ]);
      expect(await store.endUsers({ scope: key.id, limit: 10, dayStart: 0, monthStart: 0, after: 'u1' })).toEqual([]);
    });

    test('spend report groups by key, provider, model and day', async () => {
      const { key } = keyRecord();
      await store.insertKey(key);
      for (let i = 0; i < 3; i++) {
        const r = await store.reserve(reserveReq(key, 0n));
        if (r.ok) await store.settle(r.reservation, callEntry(key.id, r.reservation.id, 10n, 0n));
      }
      const byKey = await store.spend({ groupBy: 'key' });
      expect(byKey.find((r) => r.group === key.id)).toMatchObject({ requests: 3, costNanos: 30n, inputTokens: 300 });
      const byDay = await store.spend({ groupBy: 'day' });
      expect(byDay.map((r) => r.group)).toContain(new Date().toISOString().slice(0, 10));
      expect((await store.spend({ groupBy: 'model' })).some((r) => r.group === 'gpt-test')).toBe(true);
      expect(await store.spend({ groupBy: 'key', from: Date.now() + 60_000 })).toEqual([]);
    });

    test('ledger listing: filters, newest first, keyset pages; spend series per bucket and group', async () => {
      const key = await credited(10_000n);
      const tag = `t-${Date.now()}-${++n}`;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await store.reserve(reserveReq(key, 100n));
        if (!r.ok) throw new Error('reserve refused');
        ids.push(r.reservation.id);
        await store.settle(r.reservation, {
          ...callEntry(key.id, r.reservation.id, 10n * BigInt(i + 1)),
          endUser: i % 2 === 0 ? 'alice' : 'bob',
          tags: i < 2 ? [tag, 'other'] : [],
          ...(i === 4 && { outcome: 'error' as const, errorClass: 'rate_limited' }),
        });
      }
      const all = await store.listLedger({ keyId: key.id, limit: 100 });
      expect(all.rows.map((r) => r.kind)).toEqual(['call', 'call', 'call', 'call', 'call', 'credit']);
      expect(all.rows[0]).toMatchObject({
        requestId: ids[4],
        costNanos: 50n,
        outcome: 'error',
        errorClass: 'rate_limited',
      });
      expect(all.rows[0]?.cacheReadTokens).toBe(0);
      expect(all.nextBefore).toBeUndefined();
      const p1 = await store.listLedger({ keyId: key.id, kind: 'call', limit: 2 });
      expect(p1.rows.map((r) => r.requestId)).toEqual([ids[4], ids[3]]);
      const p2 = await store.listLedger({ keyId: key.id, kind: 'call', limit: 2, before: p1.nextBefore! });
      expect(p2.rows.map((r) => r.requestId)).toEqual([ids[2], ids[1]]);
      const p3 = await store.listLedger({ keyId: key.id, kind: 'call', limit: 2, before: p2.nextBefore! });
      expect(p3.rows.map((r) => r.requestId)).toEqual([ids[0]]);
      expect(p3.nextBefore).toBeUndefined();
      expect((await store.listLedger({ tag, limit: 10 })).rows.map((r) => r.requestId)).toEqual([ids[1], ids[0]]);
      expect((await store.listLedger({ keyId: key.id, endUser: 'bob', limit: 10 })).rows).toHaveLength(2);
      expect((await store.listLedger({ requestId: ids[2]!, limit: 1 })).rows[0]?.costNanos).toBe(30n);
      expect((await store.listLedger({ keyId: key.id, from: Date.now() + 60_000, limit: 10 })).rows).toEqual([]);
      const day = 86_400_000;
      const series = await store.spendSeries({ groupBy: 'key', bucketMs: day, from: 0, to: Date.now() + day });
      const mine = series.filter((r) => r.group === key.id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ requests: 5, errors: 1, costNanos: 150n });
      expect(mine[0]!.bucket % day).toBe(0);
      const byTag = await store.spendSeries({ groupBy: 'tag', bucketMs: day, from: 0, to: Date.now() + day });
      expect(byTag.find((r) => r.group === tag)).toMatchObject({ requests: 2, costNanos: 30n });
    });

    test('ledger ids are the gateway’s: one client request id on many calls is many rows, many charges', async () => {
      const key = await credited(1000n);
      for (let i = 0; i < 3; i++) {
        const r = await store.reserve(reserveReq(key, 100n));
        expect(r.ok).toBe(true);
        if (r.ok) {
          await store.settle(r.reservation, { ...callEntry(key.id, r.reservation.id, 100n), clientRequestId: 'same' });
        }
      }
      await store.flush();
      expect((await store.spend({ groupBy: 'key' })).find((r) => r.group === key.id)?.requests).toBe(3);
      expect(await store.usage(key.id, Date.now())).toMatchObject({ balanceNanos: 700n, reservedNanos: 0n });
      expect((await store.verify()).ok).toBe(true);
    });

    // Last: it leaves a quarantined row behind, which `verify` reports from then on.
    test('a row the ledger cannot hold is quarantined; its batch and later rows are written', async () => {
      const { key } = keyRecord();
      await store.insertKey(key);
      const settle = async (cost: bigint) => {
        const r = await store.reserve(reserveReq(key, 0n));
        if (r.ok) await store.settle(r.reservation, callEntry(key.id, r.reservation.id, cost, 0n)).catch(() => {});
      };
      await settle(10n);
      await settle(2n ** 70n); // beyond 64-bit nano-USD: no database column holds it
      await settle(20n);
      await store.flush();
      await settle(30n);
      await store.flush();
      const row = (await store.spend({ groupBy: 'key' })).find((r) => r.group === key.id);
      expect(row).toMatchObject({ requests: 3, costNanos: 60n });
      expect(store.quarantined()).toBe(1);
      const v = await store.verify();
      expect(v.quarantined).toBe(1);
      expect(v.ok).toBe(false);
    });

    test('an alert claim is won once, whatever the concurrency; credited totals sum the top-ups', async () => {
      const claim = `budget.threshold:key_conf_${Date.now()}:daily:20261206:80`;
      const wins = await Promise.all(Array.from({ length: 8 }, () => store.claimAlert(claim, Date.now())));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await store.claimAlert(`${claim}:other`, Date.now())).toBe(true);
      // a claim past its expiry is pruned (and can be won again); one without expiry stays
      const t = Date.now();
      expect(await store.claimAlert(`${claim}:ended`, t, t + 1_000)).toBe(true);
      expect(await store.pruneAlertClaims(t)).toBe(0);
      expect(await store.pruneAlertClaims(t + 2_000)).toBeGreaterThanOrEqual(1);
      expect(await store.claimAlert(`${claim}:ended`, t)).toBe(true);
      expect(await store.claimAlert(claim, t)).toBe(false);
      const key = await credited(500n);
      expect(await store.creditedNanos(key.id)).toBe(500n);
      await store.addCredits({
        keyId: key.id,
        amountNanos: 250n,
        reason: 'top-up',
        idempotencyKey: 't1',
        at: Date.now(),
      });
      expect(await store.creditedNanos(key.id)).toBe(750n);
      expect(await store.creditedNanos('key_unknown')).toBe(0n);
    });
  });
}
