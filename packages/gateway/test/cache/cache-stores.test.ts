// One conformance suite for every cache store (memory, Redis — a real redis-server), plus what only the memory
// store has: its byte bound and LRU order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingServers, type RunningServer, startRedis } from '../../../../test/support/servers.js';
import type { CacheStore } from '../../src/cache/cache-store.js';
import { createMemoryStore } from '../../src/cache/memory-store.js';
import { createRedisStore } from '../../src/cache/redis-store.js';

const redisMissing = missingServers().some((m) => m.startsWith('redis'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Subject {
  store: CacheStore;
  /** Moves time past `ms` (fake clock for memory; real waiting, polled, for Redis's own PX expiry). */
  expire(ms: number, key: string): Promise<void>;
}

function conformance(name: string, make: () => Promise<Subject>, skip = false) {
  describe.skipIf(skip)(`${name} cache store`, () => {
    let s: Subject;
    beforeAll(async () => {
      s = await make();
    });
    afterAll(async () => {
      await s?.store.close();
    });

    it('misses an unknown key, then hits what was set', async () => {
      expect(await s.store.get('k-unknown')).toBeUndefined();
      await s.store.set('k1', '{"a":1}', 60_000);
      expect(await s.store.get('k1')).toBe('{"a":1}');
    });

    it('replaces a value whole; delete removes it', async () => {
      await s.store.set('k2', 'first', 60_000);
      await s.store.set('k2', 'second', 60_000);
      expect(await s.store.get('k2')).toBe('second');
      await s.store.delete('k2');
      expect(await s.store.get('k2')).toBeUndefined();
    });

    it('concurrent writers of one key leave one of the whole values, never a mix', async () => {
      const values = Array.from({ length: 20 }, (_, i) => JSON.stringify({ writer: i, pad: 'x'.repeat(2000 + i) }));
      await Promise.all(values.map((v) => s.store.set('k3', v, 60_000)));
      const got = await s.store.get('k3');
      expect(values).toContain(got);
    });

    it('an entry expires after its TTL', async () => {
      await s.store.set('k4', 'short', 1000);
      await s.store.set('k5', 'long', 600_000);
      expect(await s.store.get('k4')).toBe('short');
      await s.expire(1000, 'k4');
      expect(await s.store.get('k4')).toBeUndefined();
      expect(await s.store.get('k5')).toBe('long');
    });
  });
}

let clock = 1_000_000;
conformance('memory', async () => {
  const store = createMemoryStore({ maxBytes: 1024 * 1024, now: () => clock });
  return {
    store,
    async expire(ms) {
      clock += ms + 1;
    },
  };
});

let redis: RunningServer | undefined;
conformance(
  'redis',
  async () => {
    redis = await startRedis();
    const store = createRedisStore({ url: redis.url, keyPrefix: 'test:' });
    return {
      store,
      async expire(_ms, key) {
        // Redis expires by its own clock: poll (bounded) instead of sleeping a fixed amount.
        for (let i = 0; i < 200 && (await store.get(key)) !== undefined; i++) await sleep(50);
      },
    };
  },
  redisMissing,
);
afterAll(async () => {
  await redis?.stop();
});

describe.skipIf(redisMissing)('redis cache store specifics', () => {
  it('stores under the key prefix with a PX TTL', async () => {
    const server = redis ?? (await startRedis());
    const store = createRedisStore({ url: server.url, keyPrefix: 'pfx:' });
    await store.set('abc', 'v', 30_000);
    const { Redis } = await import('ioredis');
    const raw = new Redis(server.url);
    try {
      expect(await raw.get('pfx:abc')).toBe('v');
      const pttl = await raw.pttl('pfx:abc');
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(30_000);
    } finally {
      raw.disconnect();
      await store.close();
      if (!redis) await server.stop();
    }
  });

  it('an unreachable Redis fails the command (the cache turns that into a miss), bounded in time', async () => {
    const store = createRedisStore({ url: 'redis://127.0.0.1:1', keyPrefix: 'x:', commandTimeoutMs: 300 });
    await expect(store.get('k')).rejects.toThrow();
    await store.close();
  });
});

describe('memory store bound', () => {
  it('evicts least recently used entries once the bytes exceed the bound', async () => {
    const store = createMemoryStore({ maxBytes: 3000 });
    const value = 'v'.repeat(900);
    await store.set('a', value, 60_000);
    await store.set('b', value, 60_000);
    await store.set('c', value, 60_000);
    expect(await store.get('a')).toBe(value); // a is now the most recently used
    await store.set('d', value, 60_000); // over 3000: the oldest (b) goes
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe(value);
    expect(await store.get('d')).toBe(value);
    expect(store.bytes).toBeLessThanOrEqual(3000);
  });

  it('an entry larger than the whole bound is not kept', async () => {
    const store = createMemoryStore({ maxBytes: 1000 });
    await store.set('big', 'x'.repeat(2000), 60_000);
    expect(await store.get('big')).toBeUndefined();
    expect(store.bytes).toBe(0);
  });
});
