// Chooses the store from its URL:
//   sqlite:./switchyard.db[?synchronous=full]          embedded, one gateway instance
//   redis://host:6379/0+postgres://user@host:5432/db  many instances: redis for admission state, postgres for keys + ledger
// Each store is imported only when chosen: ioredis + pg, or the native better-sqlite3 binding, load only for theirs.
import type { AccountStore } from '../types.js';
import type { RedisPostgresOptions } from './redis-postgres-store.js';

/** Ledger group-commit interval and log for both stores; leases, rebuild window and timeout for redis. */
export type StoreOptions = RedisPostgresOptions;

export function splitRedisPostgres(url: string): { redis: string; postgres: string } | undefined {
  const m = /^(rediss?:\/\/.*?)\+(postgres(?:ql)?:\/\/.*)$/.exec(url);
  return m ? { redis: m[1]!, postgres: m[2]! } : undefined;
}

export async function openStore(url: string, opts: StoreOptions = {}): Promise<AccountStore> {
  if (url.startsWith('sqlite:')) {
    const { parseSqliteUrl, SqliteStore } = await import('./sqlite-store.js');
    const { file, synchronous } = parseSqliteUrl(url);
    return new SqliteStore(file, {
      synchronous,
      ...(opts.flushMs !== undefined ? { flushMs: opts.flushMs } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
  }
  const pair = splitRedisPostgres(url);
  if (pair) {
    const { RedisPostgresStore } = await import('./redis-postgres-store.js');
    return RedisPostgresStore.open(pair.redis, pair.postgres, opts);
  }
  throw new Error('accounts store must be "sqlite:<file>" or "redis://…+postgres://…" (got a URL of another scheme)');
}
