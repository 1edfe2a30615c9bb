import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/accounts/store/open-store.js';
import type { RedisPostgresStore } from '../../src/accounts/store/redis-postgres-store.js';
import { callEntry, keyRecord } from './helpers.js';
import { serversMissing, skipReason, useRealServers } from './real-servers.js';
import { runStoreConformance } from './store-conformance.js';

const servers = useRealServers();

if (serversMissing.length) {
  describe('AccountStore conformance: redis+postgres', () => it.skip(skipReason, () => {}));
} else {
  runStoreConformance({ name: 'redis+postgres', open: async () => openStore(await servers.url()) });

  describe('redis+postgres specifics', () => {
    it('redis losing its data (restart, eviction) rebuilds the account from postgres: no free money', async () => {
      const store = (await openStore(await servers.url())) as RedisPostgresStore;
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
  });
}
