// The `cache:` config section and the per-route `cache:` override, as zod schemas, and the policy one request
// gets from them. Defaults live here as data.
import { z } from 'zod';

const intLike = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/, 'Expected an integer').transform(Number)])
    .pipe(z.number().int().min(min).max(max));
const boolLike = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

export const CACHE_MODES = ['deterministic', 'all'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

export const DEFAULT_TTL_SECONDS = 3600;
/** One entry larger than this is not stored (a cache full of one huge answer helps nobody). */
export const DEFAULT_MAX_ENTRY_BYTES = 1024 * 1024;
/** Memory store bound: the sum of the entries' bytes. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export const cacheSchema = z
  .object({
    enabled: boolLike.default(true),
    /** `memory` (one instance, LRU bounded by `maxBytes`) or a `redis://` / `rediss://` URL (shared). */
    store: z
      .string()
      .regex(/^(memory|rediss?:\/\/.+)$/, 'Expected "memory" or a redis:// URL')
      .default('memory'),
    ttlSeconds: intLike(1, 30 * 86_400).default(DEFAULT_TTL_SECONDS),
    mode: z.enum(CACHE_MODES).default('deterministic'),
    maxEntryBytes: intLike(256, 64 * 1024 * 1024).default(DEFAULT_MAX_ENTRY_BYTES),
    maxBytes: intLike(1024, 16 * 1024 * 1024 * 1024).default(DEFAULT_MAX_BYTES),
    /** Charge a hit what the original call cost (default: a hit is free). */
    chargeHits: boolLike.default(false),
    /** Every tenant shares this one namespace. Default: each team, else each key, has its own. */
    sharedNamespace: z.string().min(1).max(200).optional(),
    /** Key prefix in Redis (several gateways' caches may share one Redis). */
    keyPrefix: z.string().max(100).default('sy:cache:'),
  })
  .strict();

export const routeCacheSchema = z
  .object({
    enabled: boolLike.optional(),
    ttlSeconds: intLike(1, 30 * 86_400).optional(),
    mode: z.enum(CACHE_MODES).optional(),
  })
  .strict();

export type CacheConfig = z.output<typeof cacheSchema>;
export type RouteCacheConfig = z.output<typeof routeCacheSchema>;

/** What one request gets: the global section with its route's overrides applied. */
export interface CachePolicy {
  ttlMs: number;
  mode: CacheMode;
  maxEntryBytes: number;
  chargeHits: boolean;
  sharedNamespace?: string;
}

export function policyFor(cache: CacheConfig, route: RouteCacheConfig | undefined): CachePolicy | undefined {
  if (!(route?.enabled ?? cache.enabled)) return undefined;
  return {
    ttlMs: (route?.ttlSeconds ?? cache.ttlSeconds) * 1000,
    mode: route?.mode ?? cache.mode,
    maxEntryBytes: cache.maxEntryBytes,
    chargeHits: cache.chargeHits,
    ...(cache.sharedNamespace !== undefined && { sharedNamespace: cache.sharedNamespace }),
  };
}
