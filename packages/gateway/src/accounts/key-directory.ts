// Key lookup by hash with a short per-instance cache, so the hot path does not hit the database per request.
// Changes made through this instance invalidate at once; other instances see them within `ttlMs`.
import { hashKey, sameHash } from './keys.js';
import type { AccountStore, KeyRecord } from './types.js';

export class KeyDirectory {
  private readonly cache = new Map<string, { key: KeyRecord | undefined; at: number }>();
  private anyKeys: { value: boolean; at: number } | undefined;
  /** Raw key → SHA-256 hex, so a busy key is hashed once, not per request. Bounded; in memory only, never logged. */
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly store: AccountStore,
    private readonly ttlMs = 1000,
  ) {}

  async lookup(secret: string, now: number): Promise<KeyRecord | undefined> {
    const hash = this.hashOf(secret);
    const hit = this.cache.get(hash);
    if (hit && now - hit.at < this.ttlMs) return hit.key;
    const found = await this.store.findKeyByHash(hash);
    // The database matched on the hash; compare again in constant time before trusting (and caching) the record.
    const key = found && sameHash(found.hash, hash) ? found : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { key, at: now });
    return key;
  }

  private hashOf(secret: string): string {
    let hash = this.hashes.get(secret);
    if (hash === undefined) {
      hash = hashKey(secret);
      if (this.hashes.size >= 10_000) this.hashes.clear();
      this.hashes.set(secret, hash);
    }
    return hash;
  }

  /** Keys are never deleted (revoke keeps the row), so once true this stays true. */
  async hasKeys(now: number): Promise<boolean> {
    if (this.anyKeys && (this.anyKeys.value || now - this.anyKeys.at < this.ttlMs)) return this.anyKeys.value;
    this.anyKeys = { value: (await this.store.countKeys()) > 0, at: now };
    return this.anyKeys.value;
  }

  invalidate(key?: KeyRecord): void {
    if (key) this.cache.delete(key.hash);
    else this.cache.clear();
    if (key) this.anyKeys = { value: true, at: 0 };
  }
}
