// How alike two model outputs are, for shadow pairs and report columns: exact, JSON-equal, or a text measure.
// Pure and bounded (inputs are cut at MAX_CHARS) so it is safe off the response path.
import { extractJson, jsonEqual } from './assertions.js';

export type SimilarityKind = 'exact' | 'json' | 'text';
export interface Similarity {
  kind: SimilarityKind;
  /** 0..1: 1 is the same answer. */
  score: number;
}

const MAX_CHARS = 20_000;

function tryJson(s: string): { ok: true; value: unknown } | { ok: false } {
  const t = s.trim();
  if (!(t.startsWith('{') || t.startsWith('[') || t.startsWith('```'))) return { ok: false };
  try {
    return { ok: true, value: extractJson(t) };
  } catch {
    return { ok: false };
  }
}

function tokens(s: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

/** Multiset Jaccard of word tokens (Σ min / Σ max): order-insensitive, robust to rewording of long answers. */
export function textSimilarity(a: string, b: string): number {
  const ta = tokens(a.slice(0, MAX_CHARS));
  const tb = tokens(b.slice(0, MAX_CHARS));
  if (ta.size === 0 && tb.size === 0) return 1;
  let min = 0;
  let max = 0;
  for (const [w, n] of ta) {
    const m = tb.get(w) ?? 0;
    min += Math.min(n, m);
    max += Math.max(n, m);
  }
  for (const [w, m] of tb) if (!ta.has(w)) max += m;
  return max === 0 ? 0 : min / max;
}

export function similarity(a: string, b: string): Similarity {
  if (a.trim() === b.trim()) return { kind: 'exact', score: 1 };
  const ja = tryJson(a);
  const jb = tryJson(b);
  if (ja.ok && jb.ok) return { kind: 'json', score: jsonEqual(ja.value, jb.value) ? 1 : 0 };
  return { kind: 'text', score: Math.round(textSimilarity(a, b) * 1000) / 1000 };
}
