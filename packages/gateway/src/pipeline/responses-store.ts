// The conversation store behind `previous_response_id` and `item_reference` on /v1/responses: each stored
// response keeps the whole conversation up to and including its output, as input items, so a later request can
// continue it on ANY provider (OpenAI's own store only serves OpenAI). In memory, per gateway instance: a
// multi-instance deployment needs sticky sessions for these two features (documented).
// Tenant isolation: every key is prefixed with the tenant (a hash of the caller's credential), so key A can
// never read key B's responses, even knowing the id. Bounded: entries expire after TTL_MS; the total size and the
// entry count are capped (oldest evicted first); an entry larger than MAX_ENTRY_BYTES is not stored at all.
import { createHash } from 'node:crypto';
import type { ResponsesInputItem } from '../providers/responses-inbound/responses-wire.js';

/** A day: long enough for an agent loop or a chat session, short enough that memory turns over. */
export const TTL_MS = 24 * 60 * 60 * 1000;
/** Total bytes of stored conversations (JSON length) per instance. */
export const MAX_TOTAL_BYTES = 128 * 1024 * 1024;
/** One conversation larger than this is not stored (a later `previous_response_id` to it gets a clear 400). */
export const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
export const MAX_ENTRIES = 20_000;

export interface StoredResponse {
  /** The conversation as input items: earlier context, this request's input, this response's output. */
  items: ResponsesInputItem[];
  /** Provider id that served it. */
  providerId: string;
  /** Served by same-format pass-through (so that provider holds it in its own store too). */
  passthrough: boolean;
  /** False when the earlier context lived only in the provider's store (we cannot replay it elsewhere). */
  complete: boolean;
}

export interface ResponsesStore {
  get(tenant: string, responseId: string): StoredResponse | undefined;
  /** An output item of a stored response, by its item id (`item_reference`). */
  item(tenant: string, itemId: string): ResponsesInputItem | undefined;
  put(tenant: string, responseId: string, value: StoredResponse): void;
}

/** The tenant of a request: a hash of its credential (never the credential itself), or '' without one. */
export function tenantOf(clientKey: string | undefined): string {
  return clientKey ? createHash('sha256').update(clientKey).digest('base64url') : '';
}

interface Entry {
  value: StoredResponse;
  bytes: number;
  expires: number;
  itemKeys: string[];
}

export function createMemoryResponsesStore(now: () => number = Date.now): ResponsesStore {
  const entries = new Map<string, Entry>(); // insertion order = age
  const items = new Map<string, { entry: string; index: number }>();
  let total = 0;
  const keyOf = (tenant: string, id: string) => `${tenant}\u0000${id}`;

  const remove = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    entries.delete(key);
    total -= e.bytes;
    for (const k of e.itemKeys) if (items.get(k)?.entry === key) items.delete(k);
  };
  const live = (key: string): Entry | undefined => {
    const e = entries.get(key);
    if (e && e.expires <= now()) {
      remove(key);
      return undefined;
    }
    return e;
  };

  return {
    get: (tenant, id) => live(keyOf(tenant, id))?.value,
    item(tenant, itemId) {
      const at = items.get(keyOf(tenant, itemId));
      if (!at) return undefined;
      return live(at.entry)?.value.items[at.index];
    },
    put(tenant, id, value) {
      const bytes = JSON.stringify(value.items).length;
      if (bytes > MAX_ENTRY_BYTES) return;
      const key = keyOf(tenant, id);
      remove(key);
      const itemKeys: string[] = [];
      value.items.forEach((item, index) => {
        if (typeof item.id !== 'string' || item.id === '') return;
        const k = keyOf(tenant, item.id);
        items.set(k, { entry: key, index });
        itemKeys.push(k);
      });
      entries.set(key, { value, bytes, expires: now() + TTL_MS, itemKeys });
      total += bytes;
      // Oldest first: expired entries and the overflow of either cap.
      for (const [k, e] of entries) {
        if (total <= MAX_TOTAL_BYTES && entries.size <= MAX_ENTRIES && e.expires > now()) break;
        remove(k);
      }
    },
  };
}
