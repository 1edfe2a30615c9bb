// Many instances' cache: one Redis string per entry, written with SET … PX (the TTL is Redis's job, a write is
// atomic and replaces the whole value). Bound total memory with Redis's own `maxmemory` + an LRU policy — on a
// Redis (or database) of its own: an eviction policy on the accounts Redis would evict reservations.
import { Redis } from 'ioredis';
import type { CacheStore } from './cache-store.js';

export interface RedisStoreOptions {
  url: string;
  keyPrefix: string;
  /** Per-command bound: a slow or paused Redis turns into a miss, never a stuck request. */
  commandTimeoutMs?: number;
}

export function createRedisStore(o: RedisStoreOptions): CacheStore {
  const redis = new Redis(o.url, {
    lazyConnect: false,
    // While disconnected, commands fail at once (a miss) instead of queueing behind the reconnect.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: o.commandTimeoutMs ?? 1000,
  });
  // Errors surface per command (as a miss / skipped write); the client reconnects by itself.
  redis.on('error', () => {});
  // Only the very first commands wait (bounded) for the initial connection; later outages fail at once.
  let connecting: Promise<void> | undefined = new Promise<void>((resolve) => {
    redis.once('ready', resolve);
    setTimeout(resolve, o.commandTimeoutMs ?? 1000).unref();
  }).then(() => {
    connecting = undefined;
  });
  const k = (key: string) => o.keyPrefix + key;
  return {
    kind: 'redis',
    async get(key) {
      if (connecting) await connecting;
      return (await redis.get(k(key))) ?? undefined;
    },
    async set(key, value, ttlMs) {
      if (connecting) await connecting;
      await redis.set(k(key), value, 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async delete(key) {
      await redis.del(k(key));
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
