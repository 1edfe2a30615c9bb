// RPM / TPM as token buckets that refill continuously (capacity = the per-minute limit), like OpenAI's own limits.
// The same arithmetic is written in Lua for redis (store/redis-scripts.ts); keep them in step.
import type { BucketState } from './types.js';

export interface Bucket {
  level: number;
  at: number;
}

const MINUTE = 60_000;

export function refill(b: Bucket | undefined, limit: number, now: number): Bucket {
  if (!b) return { level: limit, at: now };
  const level = Math.min(limit, b.level + (Math.max(0, now - b.at) * limit) / MINUTE);
  return { level, at: now };
}

/** ms until `need` units are available (Infinity when need exceeds the whole limit). */
export function waitMs(b: Bucket, limit: number, need: number): number {
  if (need > limit) return Number.POSITIVE_INFINITY;
  return b.level >= need ? 0 : Math.ceil(((need - b.level) * MINUTE) / limit);
}

export function bucketState(b: Bucket, limit: number): BucketState {
  return {
    limit,
    remaining: Math.max(0, Math.floor(b.level)),
    resetMs: Math.ceil(((limit - Math.max(0, b.level)) * MINUTE) / limit),
  };
}
