// The exact response cache as the request flow sees it. Per request: `begin` decides whether the cache takes
// part (config, route override, mode, the client's controls); admission calls `identify` once the tenant is
// known and before it reserves anything, which looks the entry up; a miss records the answer the client received
// and stores it only once the request finished without error.
import { nanosToUsdNumber } from '@switchyard/core';
import type { CallMeta } from '../pipeline/call-meta.js';
import type { HeaderMap } from '../pipeline/pipeline-types.js';
import type { Endpoint, RoutePlan, Tenant } from '../pipeline/seams.js';
import { type CacheConfig, type CachePolicy, policyFor, type RouteCacheConfig } from './cache-config.js';
import { cacheControlsOf } from './cache-controls.js';
import { type CacheEntry, decodeEntry, encodeEntry } from './cache-entry.js';
import type { CacheStore } from './cache-store.js';
import { cacheKey, isDeterministic, namespaceOf } from './canonical-key.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import type { StreamRecorder } from './replay/codec.js';
import { CODECS } from './replay/codecs.js';

export type CacheResult = 'hit' | 'miss' | 'bypass';

export interface CacheHit {
  entry: CacheEntry;
  /** What the hit costs the tenant: 0, or the original cost with `chargeHits`. */
  chargeNanos: bigint;
  /** Upstream spend avoided: the original call's cost (0 when its price was unknown). */
  savedNanos: bigint;
  /** Whole seconds since the entry was stored. */
  ageSeconds: number;
}

/** Captures what the client received on a miss; `commit` stores it (call once the request succeeded). */
export interface CacheRecorder {
  json(body: unknown): void;
  text(chunk: string): void;
  commit(meta: CallMeta): void;
}

export interface CacheRequest {
  /** `hit` after a successful lookup, else `miss` once looked up (or stored to), else `bypass`. */
  readonly result: CacheResult;
  readonly hit?: CacheHit;
  /** Admission hands over the tenant before reserving: looks the entry up (when the client allows reading). */
  identify(tenant: Tenant): Promise<CacheHit | undefined>;
  /** For a miss whose answer may be stored; undefined otherwise. */
  recorder(): CacheRecorder | undefined;
  /** Replays a hit in the client's format. */
  replay(stream: boolean): { json: unknown } | { chunks: string[] };
}

export interface ResponseCache {
  /** undefined: the cache takes no part in this request (off, or off for its route). */
  begin(endpoint: Endpoint, plan: RoutePlan, body: object, headers: HeaderMap): CacheRequest | undefined;
  /** Config hot reload: new policy; a changed store setting opens the new store and closes the old one. */
  configure(section: CacheConfig | undefined, routes: Record<string, { cache?: RouteCacheConfig }>): void;
  readonly store: CacheStore | undefined;
  close(): Promise<void>;
}

export interface ResponseCacheOptions {
  /** A store to use instead of the one the config names (tests inject one with a fake clock). */
  store?: CacheStore;
  now?: () => number;
  log?: { warn(obj: object, msg: string): void };
}

const BYPASS = 'bypass' as const;
/** SSE framing and per-chunk JSON make a stream several times its stored answer: beyond this, stop recording. */
const STREAM_TEXT_FACTOR = 8;

export function createResponseCache(opts: ResponseCacheOptions = {}): ResponseCache {
  const now = opts.now ?? Date.now;
  let section: CacheConfig | undefined;
  let routes: Record<string, { cache?: RouteCacheConfig }> = {};
  let store: CacheStore | undefined = opts.store;
  let storeSpec: string | undefined;
  const warn = (err: unknown, msg: string) => opts.log?.warn({ err: (err as Error)?.message ?? String(err) }, msg);

  const openStore = (s: CacheConfig) => {
    if (opts.store) return;
    const spec = `${s.store} ${s.store === 'memory' ? s.maxBytes : s.keyPrefix}`;
    if (spec === storeSpec && store) return;
    const old = store;
    store =
      s.store === 'memory'
        ? createMemoryStore({ maxBytes: s.maxBytes, now })
        : createRedisStore({ url: s.store, keyPrefix: s.keyPrefix });
    storeSpec = spec;
    old?.close().catch((err) => warn(err, 'cache store close failed'));
  };

  return {
    get store() {
      return store;
    },
    configure(next, nextRoutes) {
      section = next;
      routes = nextRoutes;
      if (next) openStore(next);
      else if (store && !opts.store) {
        // The section was removed: nothing will read the entries again.
        store.close().catch((err) => warn(err, 'cache store close failed'));
        store = undefined;
        storeSpec = undefined;
      }
    },
    begin(endpoint, plan, body, headers) {
      if (!section || !store) return undefined;
      const policy = policyFor(section, routes[plan.name]?.cache);
      if (!policy) return undefined;
      const s = store;
      const controls = cacheControlsOf(headers);
      const eligible = policy.mode === 'all' || isDeterministic(endpoint, body as Record<string, unknown>);
      if (!eligible || (!controls.read && !controls.write)) return bypassed();
      return request(endpoint, plan, body, policy, controls, s);
    },
    async close() {
      await store?.close();
    },
  };

  function request(
    endpoint: Endpoint,
    plan: RoutePlan,
    body: object,
    policy: CachePolicy,
    controls: { read: boolean; write: boolean },
    s: CacheStore,
  ): CacheRequest {
    let key: string | undefined;
    let result: CacheResult = BYPASS;
    let hit: CacheHit | undefined;
    const codec = CODECS[endpoint];
    return {
      get result() {
        return result;
      },
      get hit() {
        return hit;
      },
      async identify(tenant) {
        key = cacheKey(namespaceOf(tenant, policy.sharedNamespace), endpoint, plan, body);
        result = 'miss';
        if (!controls.read) return undefined;
        let text: string | undefined;
        try {
          text = await s.get(key);
        } catch (err) {
          warn(err, 'cache read failed (treated as a miss)');
          return undefined;
        }
        const entry = text === undefined ? undefined : decodeEntry(text);
        if (!entry) return undefined;
        // Charged hits need the stored cost: an entry stored without one (before `chargeHits` was switched on, or by
        // another gateway sharing the store) is a miss, answered and charged upstream, then stored again with it.
        if (policy.chargeHits && entry.costNanos === undefined) return undefined;
        const saved = entry.costNanos ?? 0n;
        hit = {
          entry,
          chargeNanos: policy.chargeHits ? saved : 0n,
          savedNanos: saved,
          ageSeconds: Math.max(0, Math.floor((now() - entry.createdAt) / 1000)),
        };
        result = 'hit';
        return hit;
      },
      recorder() {
        if (!controls.write || key === undefined || hit) return undefined;
        return recorderFor(key, policy, s, codec.recorder?.());
      },
      replay(stream) {
        if (!hit) throw new Error('replay without a hit');
        const o = { costUsd: nanosToUsdNumber(hit.chargeNanos), includeUsage: includeUsageOf(body) };
        if (stream && codec.stream) return { chunks: codec.stream(hit.entry.body, o) };
        return { json: codec.json(hit.entry.body, o) };
      },
    };
  }

  function recorderFor(
    key: string,
    policy: CachePolicy,
    s: CacheStore,
    streamRecorder: StreamRecorder | undefined,
  ): CacheRecorder {
    let json: unknown;
    let seen = 0;
    let recorder = streamRecorder;
    return {
      json(body) {
        json = body;
      },
      text(chunk) {
        if (!recorder) return;
        // A stream far larger than an entry may be is not worth holding in memory until it ends.
        seen += chunk.length;
        if (seen > policy.maxEntryBytes * STREAM_TEXT_FACTOR) recorder = undefined;
        else recorder.push(chunk);
      },
      commit(meta) {
        try {
          // With charged hits, an answer whose price is unknown is not stored: its hit could not be charged.
          if (policy.chargeHits && !meta.cost) return;
          const cost = meta.cost ? nanosToUsdNumber(meta.cost.totalNanos) : undefined;
          const body = json ?? recorder?.result(meta.usage, cost);
          if (body === undefined || body === null) return;
          const entry: CacheEntry = {
            createdAt: now(),
            providerId: meta.target.providerId,
            model: meta.target.model,
            body,
            ...(meta.cost && { costNanos: meta.cost.totalNanos }),
            ...(meta.usage && { usage: meta.usage }),
          };
          const text = encodeEntry(entry);
          if (Buffer.byteLength(text) > policy.maxEntryBytes) return;
          s.set(key, text, policy.ttlMs).catch((err) => warn(err, 'cache write failed'));
        } catch (err) {
          warn(err, 'cache record failed');
        }
      },
    };
  }
}

function bypassed(): CacheRequest {
  return {
    result: BYPASS,
    async identify() {
      return undefined;
    },
    recorder: () => undefined,
    replay() {
      throw new Error('replay without a hit');
    },
  };
}

/** OpenAI chat streams carry the usage chunk only when asked (`stream_options.include_usage`). */
function includeUsageOf(body: object): boolean {
  const so = (body as { stream_options?: { include_usage?: unknown } }).stream_options;
  return so?.include_usage === true;
}
