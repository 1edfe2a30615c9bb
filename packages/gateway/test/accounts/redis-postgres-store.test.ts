import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore, splitRedisPostgres } from '../../src/accounts/store/open-store.js';
import { PG_MIGRATIONS } from '../../src/accounts/store/postgres-schema.js';
import type { RedisPostgresStore } from '../../src/accounts/store/redis-postgres-store.js';
import type { KeyRecord } from '../../src/accounts/types.js';
import { callEntry, expectAttemptsAfterUpgrade, keyRecord, sleep } from './helpers.js';
import { serversMissing, skipReason, useRealServers } from './real-servers.js';
import { runStoreConformance } from './store-conformance.js';

const servers = useRealServers();

/** Polls (bounded) until a zero-amount reservation is admitted again, then releases it. */
async function waitOpen(store: RedisPostgresStore, key: KeyRecord) {
  for (let i = 0; i < 200; i++) {
    const r = await store
      .reserve({ key, reservationId: `probe_${i}`, amountNanos: 0n, tokens: 0, ttlMs: 60_000, now: 0 })
      .catch(() => undefined);
    if (r?.ok) return store.release(r.reservation);
    await sleep(50);
  }
  throw new Error('admission did not reopen after the rebuild window');
}

if (serversMissing.length) {
  describe('AccountStore conformance: redis+postgres', () => it.skip(skipReason, () => {}));
} else {
  runStoreConformance({ name: 'redis+postgres', open: async () => openStore(await servers.url()) });

  describe('redis+postgres specifics', () => {
    it('redis losing its data (restart, eviction) rebuilds the account from postgres: no free money', async () => {
      const store = (await openStore(await servers.url(), { rebuildMs: 300 })) as RedisPostgresStore;
      try {
        const { key } = keyRecord({ credits: true });
        await store.insertKey(key, { keyId: key.id, amountNanos: 1000n, reason: 'init', idempotencyKey: 'i', at: 0 });
        const r = await store.reserve({
          key,
          reservationId: 'r1',
          amountNanos: 600n,
          tokens: 1,
          ttlMs: 60_000,
          now: 0,
        });
        if (r.ok) await store.settle(r.reservation, callEntry(key.id, 'r1', 600n));
        await store.flush();
        await store.redis.flushall();
        const base = { key, tokens: 1, ttlMs: 60_000, now: 0 };
        // Fail closed first (503), then open again once the rebuild window passed.
        await expect(store.reserve({ ...base, reservationId: 'r1b', amountNanos: 1n })).rejects.toThrow(/redis/);
        await waitOpen(store, key);
        expect(await store.reserve({ ...base, reservationId: 'r2', amountNanos: 401n })).toMatchObject({
          ok: false,
          reason: 'insufficient_credits',
        });
        expect((await store.reserve({ ...base, reservationId: 'r3', amountNanos: 400n })).ok).toBe(true);
        expect(await store.usage(key.id)).toMatchObject({ balanceNanos: 400n, reservedNanos: 400n, spentNanos: 600n });
        // a replayed top-up stays a replay after the rebuild
        const m = { keyId: key.id, amountNanos: 1000n, reason: 'init', idempotencyKey: 'i', at: 0 };
        expect(await store.addCredits(m)).toEqual({ applied: false });
        expect((await store.usage(key.id)).balanceNanos).toBe(400n);
        expect((await store.verify()).ok).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('open reservations survive redis losing its data: no over-admission after the rebuild', async () => {
      const url = await servers.url();
      const [a, b] = (await Promise.all([
        openStore(url, { rebuildMs: 500 }),
        openStore(url, { rebuildMs: 500 }),
      ])) as RedisPostgresStore[];
      try {
        const { key } = keyRecord({ credits: true });
        await a!.insertKey(key, { keyId: key.id, amountNanos: 1000n, reason: 'init', idempotencyKey: 'i', at: 0 });
        const base = { key, tokens: 1, ttlMs: 60_000, now: 0 };
        const held = await a!.reserve({ ...base, reservationId: 'held', amountNanos: 600n });
        expect(held.ok).toBe(true);
        await a!.redis.flushall(); // redis restarted empty: the 600 reserved by replica a is gone from redis
        await expect(b!.reserve({ ...base, reservationId: 'x1', amountNanos: 500n })).rejects.toThrow(/redis/);
        await waitOpen(b!, key);
        // Replica a re-registered its reservation during the window: only 400 is free, on either replica.
        expect(await b!.reserve({ ...base, reservationId: 'x2', amountNanos: 401n })).toMatchObject({
          ok: false,
          reason: 'insufficient_credits',
        });
        expect((await b!.usage(key.id)).reservedNanos).toBe(600n);
        if (held.ok) await a!.settle(held.reservation, callEntry(key.id, 'held', 600n));
        await a!.flush();
        expect(await b!.usage(key.id)).toMatchObject({ balanceNanos: 400n, reservedNanos: 0n });
        expect((await b!.verify()).ok).toBe(true);
      } finally {
        await Promise.all([a?.close(), b?.close()]);
      }
    });

    it('a replica that died with open calls frees their concurrency slots within the lease, not 600 s', async () => {
      const url = await servers.url();
      const [a, b] = (await Promise.all([
        openStore(url, { leaseMs: 400 }),
        openStore(url, { leaseMs: 400 }),
      ])) as RedisPostgresStore[];
      try {
        const { key } = keyRecord({ maxConcurrency: 1 });
        await a!.insertKey(key);
        const base = { key, tokens: 1, ttlMs: 600_000, now: 0, amountNanos: 0n };
        expect((await a!.reserve({ ...base, reservationId: 'long-stream' })).ok).toBe(true);
        // While a is alive it keeps refreshing: the slot stays taken past the lease.
        await sleep(900);
        expect(await b!.reserve({ ...base, reservationId: 'other' })).toMatchObject({
          ok: false,
          reason: 'concurrency',
        });
        a!.leases.stop(); // a is killed: nobody refreshes its lease any more
        let freed = false;
        for (let i = 0; i < 100 && !freed; i++) {
          await sleep(50);
          freed = (await b!.reserve({ ...base, reservationId: `other_${i}` })).ok;
        }
        expect(freed).toBe(true);
      } finally {
        await Promise.all([a?.close(), b?.close()]);
      }
    });

    it('a paused redis fails admission within the command timeout instead of hanging', async () => {
      const store = (await openStore(await servers.url(), { commandTimeoutMs: 300 })) as RedisPostgresStore;
      // Its own connection without the store's 300 ms command timeout: UNPAUSE must get through, or the pause
      // outlives this test and times out the next one's commands.
      const pauser = store.redis.duplicate({ commandTimeout: undefined });
      try {
        const { key } = keyRecord();
        await store.insertKey(key);
        const base = { key, tokens: 1, ttlMs: 60_000, now: 0, amountNanos: 0n };
        expect((await store.reserve({ ...base, reservationId: 'before' })).ok).toBe(true);
        await pauser.call('CLIENT', 'PAUSE', '3000', 'ALL');
        const t0 = Date.now();
        await expect(store.reserve({ ...base, reservationId: 'paused' })).rejects.toThrow();
        expect(Date.now() - t0).toBeLessThan(2900); // failed on its own timeout, not when the pause ended
      } finally {
        await pauser.call('CLIENT', 'UNPAUSE').catch(() => {});
        pauser.disconnect();
        await store.close();
      }
    });

    it('a database at migration 6 gains the attempts column and keeps its rows (their attempts unknown)', async () => {
      const url = await servers.url();
      const pool = new pg.Pool({ connectionString: splitRedisPostgres(url)?.postgres, max: 1 });
      try {
        await pool.query(
          'CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
        for (const m of PG_MIGRATIONS.filter((x) => x.id <= 6)) {
          await pool.query(m.sql);
          await pool.query('INSERT INTO migrations (id, name, applied_at) VALUES ($1, $2, 0)', [m.id, m.name]);
        }
        await pool.query(
          `INSERT INTO ledger (kind, key_id, request_id, model, input_tokens, output_tokens, cost_nanos, created_at)
           VALUES ('call', 'key_v6', 'gw-v6', 'gpt-test', 10, 5, 42, $1)`,
          [Date.now()],
        );
      } finally {
        await pool.end();
      }
      const store = await openStore(url);
      try {
        await expectAttemptsAfterUpgrade(store);
        expect((await store.verify()).quarantined).toBe(0);
      } finally {
        await store.close();
      }
    });
  });
}
