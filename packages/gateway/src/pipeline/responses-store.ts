// The conversation store behind `previous_response_id` and `item_reference` on /v1/responses: each stored
// response keeps the whole conversation up to and including its output, as input items, so a later request can
// continue it on ANY provider (OpenAI's own store only serves OpenAI). In memory, per gateway instance: a
// multi-instance deployment needs sticky sessions for these two features (documented).
// Tenant isolation: every key is prefixed with the tenant (a hash of the caller's credential), so key A can
// never read key B's responses, even knowing the id. Bounded: entries expire after TTL_MS; the total size, each
// key's size and the entry count are capped (oldest evicted first); an entry over MAX_ENTRY_BYTES is not stored.
import { createHash } from 'node:crypto';
import type { ResponsesInputItem } from '../providers/responses-inbound/responses-wire.js';

/** A day: long enough for an agent loop or a chat session, short enough that memory turns over. */
export const TTL_MS = 24 * 60 * 60 * 1000;
/** Total bytes of stored conversations (UTF-8 JSON) per instance. */
export const MAX_TOTAL_BYTES = 128 * 1024 * 1024;
/** One conversation larger than this is not stored (a later `previous_response_id` to it gets a clear 400). */
export const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
export const MAX_ENTRIES = 20_000;
/** One key's share of the total, so one busy key cannot evict everybody else's conversations. */
export const MAX_TENANT_BYTES = 32 * 1024 * 1024;

export interface StoredResponse {
  /** The conversation as input items: earlier context, this request's input, this response's output. */
  items: ResponsesInputItem[];
  /** Provider id that served it. */
  providerId: string;
  /** Served by same-format pass-through (so that provider holds it in its own store too). */
  passthrough: boolean;
  /** False when the earlier context lived only in the provider's store (we cannot replay it elsewhere). */
  complete: boolean;
  /** UTF-8 JSON size of `items`, set by the store (so a continuation is sized without re-serialising its history). */
  bytes?: number;
}

/** The first `count` items are a stored conversation of known size: only the rest is measured. */
export interface KnownPrefix {
  count: number;
  bytes: number;
}

export interface ResponsesStore {
  get(tenant: string, responseId: string): StoredResponse | undefined;
  /** An output item of a stored response, by its item id (`item_reference`). */
  item(tenant: string, itemId: string): ResponsesInputItem | undefined;
  put(tenant: string, responseId: string, value: StoredResponse, prefix?: KnownPrefix): void;
}

/** The tenant of a request: a hash of its credential (never the credential itself), or '' without one. */
export function tenantOf(clientKey: string | undefined): string {
  return clientKey ? createHash('sha256').update(clientKey).digest('base64url') : '';
}

interface Entry {
  tenant: string;
  value: StoredResponse;
  bytes: number;
  expires: number;
  itemKeys: string[];
}

export function createMemoryResponsesStore(now: () => number = Date.now): ResponsesStore {
  const entries = new Map<string, Entry>(); // insertion order = age
  const items = new Map<string, { entry: string; index: number }>();
  const perTenant = new Map<string, number>();
  let total = 0;
  const keyOf = (tenant: string, id: string) => `${tenant}\u0000${id}`;

  const remove = (key: string) => {
    const e = entries.get(key);
    if (!e) return;
    entries.delete(key);
    total -= e.bytes;
    const left = (perTenant.get(e.tenant) ?? 0) - e.bytes;
    if (left > 0) perTenant.set(e.tenant, left);
    else perTenant.delete(e.tenant);
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
    put(tenant, id, value, prefix) {
      const rest = prefix ? value.items.slice(prefix.count) : value.items;
      const bytes = (prefix?.bytes ?? 0) + Buffer.byteLength(JSON.stringify(rest), 'utf8');
      if (bytes > MAX_ENTRY_BYTES) return;
      value.bytes = bytes;
      const key = keyOf(tenant, id);
      remove(key);
      const itemKeys: string[] = [];
      value.items.forEach((item, index) => {
        if (typeof item.id !== 'string' || item.id === '') return;
        const k = keyOf(tenant, item.id);
        items.set(k, { entry: key, index });
        itemKeys.push(k);
      });
      entries.set(key, { tenant, value, bytes, expires: now() + TTL_MS, itemKeys });
      total += bytes;
      perTenant.set(tenant, (perTenant.get(tenant) ?? 0) + bytes);
      // This key over its share: its own oldest entries go first.
      if ((perTenant.get(tenant) ?? 0) > MAX_TENANT_BYTES) {
        for (const [k, e] of entries) {
          if ((perTenant.get(tenant) ?? 0) <= MAX_TENANT_BYTES) break;
          if (e.tenant === tenant && k !== key) remove(k);
        }
      }
      // Oldest first: expired entries and the overflow of either global cap.
      for (const [k, e] of entries) {
        if (total <= MAX_TOTAL_BYTES && entries.size <= MAX_ENTRIES && e.expires > now()) break;
        remove(k);
      }
    },
  };
}
