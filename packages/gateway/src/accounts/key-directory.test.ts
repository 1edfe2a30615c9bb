import { describe, expect, it } from 'vitest';
import { KeyDirectory } from './key-directory.js';
import { hashKey } from './keys.js';
import type { AccountStore, KeyRecord } from './types.js';

function fakeStore(records: KeyRecord[]) {
  const calls: string[] = [];
  const store = {
    async findKeyByHash(hash: string) {
      calls.push(hash);
      return records.find((r) => r.hash === hash);
    },
    async countKeys() {
      return records.length;
    },
  } as unknown as AccountStore;
  return { store, calls };
}

const rec = (secret: string) => ({ id: `k-${secret}`, hash: hashKey(secret) }) as unknown as KeyRecord;

describe('KeyDirectory', () => {
  it('finds a key by its raw secret, caches it for ttlMs, then asks the store again', async () => {
    const { store, calls } = fakeStore([rec('sk-a')]);
    const dir = new KeyDirectory(store, 1000);
    expect((await dir.lookup('sk-a', 0))?.id).toBe('k-sk-a');
    expect((await dir.lookup('sk-a', 999))?.id).toBe('k-sk-a');
    expect(calls).toHaveLength(1);
    expect((await dir.lookup('sk-a', 1000))?.id).toBe('k-sk-a');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBe(hashKey('sk-a'));
  });

  it('unknown secrets are cached as unknown; a record whose hash differs is never trusted', async () => {
    const wrong = { id: 'evil', hash: hashKey('other') } as unknown as KeyRecord;
    const store = {
      findKeyByHash: async () => wrong,
      countKeys: async () => 1,
    } as unknown as AccountStore;
    const dir = new KeyDirectory(store, 1000);
    expect(await dir.lookup('sk-b', 0)).toBeUndefined();
    expect(await dir.lookup('sk-b', 1)).toBeUndefined();
    const { store: s2 } = fakeStore([]);
    expect(await new KeyDirectory(s2).lookup('sk-none', 0)).toBeUndefined();
  });

  it('cached() answers from a fresh cache entry only: never the store, never a stale or invalidated record', async () => {
    const r = rec('sk-d');
    const { store, calls } = fakeStore([r]);
    const dir = new KeyDirectory(store, 1000);
    expect(dir.cached('sk-d', 0)).toBeUndefined();
    await dir.lookup('sk-d', 0);
    expect(dir.cached('sk-d', 999)?.id).toBe('k-sk-d');
    expect(dir.cached('sk-d', 1000)).toBeUndefined();
    expect(dir.cached('sk-other', 1)).toBeUndefined();
    dir.invalidate(r);
    expect(dir.cached('sk-d', 1)).toBeUndefined();
    await dir.lookup('sk-d', 2);
    dir.invalidate();
    expect(dir.cached('sk-d', 3)).toBeUndefined();
    expect(calls).toHaveLength(2);
  });

  it('invalidate(key) drops the cached record at once', async () => {
    const r = rec('sk-c');
    const { store, calls } = fakeStore([r]);
    const dir = new KeyDirectory(store, 60_000);
    await dir.lookup('sk-c', 0);
    dir.invalidate(r);
    await dir.lookup('sk-c', 1);
    expect(calls).toHaveLength(2);
  });

  it('unknown keys are negatively cached (bounded) and a flood of them never evicts a valid key', async () => {
    const { store, calls } = fakeStore([rec('sk-valid')]);
    const dir = new KeyDirectory(store, 60_000);
    expect((await dir.lookup('sk-valid', 0))?.id).toBe('k-sk-valid');
    // The same unknown key again and again, also concurrently: one query.
    await Promise.all(Array.from({ length: 50 }, () => dir.lookup('sk-nope', 1)));
    expect(await dir.lookup('sk-nope', 2)).toBeUndefined();
    expect(calls.filter((h) => h === hashKey('sk-nope'))).toHaveLength(1);
    // 25,000 distinct random keys (more than both caches hold) ...
    for (let i = 0; i < 25_000; i++) await dir.lookup(`sk-random-${i}`, 3);
    const before = calls.length;
    // ... and the valid key is still served from the cache, without a query.
    expect((await dir.lookup('sk-valid', 4))?.id).toBe('k-sk-valid');
    expect(calls.length).toBe(before);
  });
});
