// Where entries live. A store holds opaque strings under keys with a time to live; the cache layer serialises
// entries. Implementations: memory (one instance, LRU bounded by bytes) and Redis (shared by many instances).

export interface CacheStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  /** Replaces any previous value whole (a concurrent writer of the same key can never leave a mixed entry). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
