// Key lookup by hash with a short per-instance cache, so the hot path does not hit the database per request.
// Changes made through this instance invalidate at once; other instances see them within `ttlMs`.
import { hashKey, sameHash } from './keys.js';
import type { AccountStore, KeyRecord, TeamRecord } from './types.js';

/** Entries in each cache; the oldest goes first when full. */
const MAX_KNOWN = 10_000;
const MAX_UNKNOWN = 10_000;

export class KeyDirectory {
  /** Valid keys. Unknown keys live in their own cache, so a flood of random keys can never evict a valid one. */
  private readonly cache = new Map<string, { key: KeyRecord | undefined; at: number }>();
  /** Negative cache: a repeated unknown key costs no database query for `ttlMs`. */
  private readonly unknown = new Map<string, number>();
  /** One query per hash at a time: concurrent requests with the same (unknown) key share it. */
  private readonly inflight = new Map<string, Promise<KeyRecord | undefined>>();
  private readonly teams = new Map<string, { team: TeamRecord | undefined; at: number }>();
  private anyKeys: { value: boolean; at: number } | undefined;
  /** Raw key → SHA-256 hex, so a busy key is hashed once, not per request. Bounded; in memory only, never logged. */
  private readonly hashes = new Map<string, string>();

  constructor(
    private readonly store: AccountStore,
    private readonly ttlMs = 1000,
  ) {}

  /** A valid key from the cache when its entry is fresh, else undefined (then `lookup`): no promise on a hit. */
  cached(secret: string, now: number): KeyRecord | undefined {
    const hit = this.cache.get(this.hashOf(secret));
    return hit && now - hit.at < this.ttlMs ? hit.key : undefined;
  }

  async lookup(secret: string, now: number): Promise<KeyRecord | undefined> {
    const hash = this.hashOf(secret);
    const hit = this.cache.get(hash);
    if (hit && now - hit.at < this.ttlMs) return hit.key;
    const miss = this.unknown.get(hash);
    if (miss !== undefined && now - miss < this.ttlMs) return undefined;
    let pending = this.inflight.get(hash);
    if (!pending) {
      pending = this.fetch(hash, now).finally(() => this.inflight.delete(hash));
      this.inflight.set(hash, pending);
    }
    return pending;
  }

  private async fetch(hash: string, now: number): Promise<KeyRecord | undefined> {
    const found = await this.store.findKeyByHash(hash);
    // The database matched on the hash; compare again in constant time before trusting (and caching) the record.
    const key = found && sameHash(found.hash, hash) ? found : undefined;
    if (key) {
      this.unknown.delete(hash);
      evictOldest(this.cache, MAX_KNOWN);
      this.cache.delete(hash); // re-inserted last: the map's order is oldest first
      this.cache.set(hash, { key, at: now });
    } else {
      this.cache.delete(hash);
      evictOldest(this.unknown, MAX_UNKNOWN);
      this.unknown.set(hash, now);
    }
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

  /** A key's team, cached like keys (teams are few: the cache is bounded by the team count). */
  async team(id: string, now: number): Promise<TeamRecord | undefined> {
    const hit = this.teams.get(id);
    if (hit && now - hit.at < this.ttlMs) return hit.team;
    const team = await this.store.getTeam(id);
    evictOldest(this.teams, MAX_KNOWN);
    this.teams.set(id, { team, at: now });
    return team;
  }

  invalidateTeam(id: string): void {
    this.teams.delete(id);
  }

  invalidate(key?: KeyRecord): void {
    if (key) {
      this.cache.delete(key.hash);
      this.unknown.delete(key.hash); // a just-created key must not stay "unknown" for ttlMs
    } else {
      this.cache.clear();
      this.unknown.clear();
    }
    if (key) this.anyKeys = { value: true, at: 0 };
  }
}

/** Drops the oldest entries (Map keeps insertion order) so that one more fits under `max`. */
function evictOldest<K, V>(m: Map<K, V>, max: number): void {
  for (const k of m.keys()) {
    if (m.size < max) return;
    m.delete(k);
  }
}
