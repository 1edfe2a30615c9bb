// One stored answer: the completed response in its endpoint's own format (a chat completion, an Anthropic
// message, an embeddings list), who served it and what it cost. Streams are stored in the same completed form
// and replayed as a stream by the client format's encoder, so a stream and a non-stream request share entries.
import type { Usage } from '@switchyard/core';

export interface CacheEntry {
  /** epoch ms when stored (the `age` header) */
  createdAt: number;
  providerId: string;
  model: string;
  /** What the original call cost, nano-USD; absent when its price was unknown. */
  costNanos?: bigint;
  usage?: Usage;
  /** The completed response object. */
  body: unknown;
}

interface Wire {
  v: 1;
  t: number;
  p: string;
  m: string;
  c?: string;
  u?: Usage;
  b: unknown;
}

export function encodeEntry(e: CacheEntry): string {
  const w: Wire = { v: 1, t: e.createdAt, p: e.providerId, m: e.model, b: e.body };
  if (e.costNanos !== undefined) w.c = e.costNanos.toString();
  if (e.usage) w.u = e.usage;
  return JSON.stringify(w);
}

/** undefined for anything that is not a well-formed entry of this version (treated as a miss). */
export function decodeEntry(text: string): CacheEntry | undefined {
  let w: Partial<Wire>;
  try {
    w = JSON.parse(text) as Partial<Wire>;
  } catch {
    return undefined;
  }
  if (w?.v !== 1 || typeof w.t !== 'number' || typeof w.p !== 'string' || typeof w.m !== 'string') return undefined;
  if (w.b === null || typeof w.b !== 'object') return undefined;
  if (w.c !== undefined && !/^\d{1,30}$/.test(w.c)) return undefined;
  const e: CacheEntry = { createdAt: w.t, providerId: w.p, model: w.m, body: w.b };
  if (w.c !== undefined) e.costNanos = BigInt(w.c);
  if (w.u) e.usage = w.u;
  return e;
}
