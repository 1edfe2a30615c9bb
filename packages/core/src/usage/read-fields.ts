// Tolerant readers for provider JSON: providers add, drop and null fields; we never throw on drift.

export type Json = Record<string, unknown>;

export function asObject(x: unknown): Json | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Json) : undefined;
}

/** A token count: a finite, non-negative number (truncated to an integer), else undefined. */
export function count(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.trunc(x) : undefined;
}
