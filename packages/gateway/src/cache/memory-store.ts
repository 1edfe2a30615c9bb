// One instance's cache: a Map in LRU order (a read moves the entry to the end), bounded by the sum of the
// entries' UTF-8 bytes; expired entries are dropped when read and before the oldest live ones are evicted.
import type { CacheStore } from './cache-store.js';

interface Slot {
  value: string;
  bytes: number;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  maxBytes: number;
  now?: () => number;
}

export interface MemoryCacheStore extends CacheStore {
  /** Bytes held now (for tests and the docs' sizing advice). */
  readonly bytes: number;
  readonly size: number;
}

export function createMemoryStore(o: MemoryStoreOptions): MemoryCacheStore {
  const now = o.now ?? Date.now;
  const slots = new Map<string, Slot>();
  let bytes = 0;
  const drop = (key: string, slot: Slot) => {
    slots.delete(key);
    bytes -= slot.bytes;
  };
  return {
    kind: 'memory',
    get bytes() {
      return bytes;
    },
    get size() {
      return slots.size;
    },
    async get(key) {
      const slot = slots.get(key);
      if (!slot) return undefined;
      if (slot.expiresAt <= now()) {
        drop(key, slot);
        return undefined;
      }
      slots.delete(key);
      slots.set(key, slot);
      return slot.value;
    },
    async set(key, value, ttlMs) {
      const size = Buffer.byteLength(value) + key.length;
      const old = slots.get(key);
      if (old) drop(key, old);
      if (size > o.maxBytes) return;
      slots.set(key, { value, bytes: size, expiresAt: now() + ttlMs });
      bytes += size;
      // Oldest first: Map iteration order is insertion (= least recently used) order.
      for (const [k, s] of slots) {
        if (bytes <= o.maxBytes) break;
        drop(k, s);
      }
    },
    async delete(key) {
      const slot = slots.get(key);
      if (slot) drop(key, slot);
    },
    async close() {
      slots.clear();
      bytes = 0;
    },
  };
}
