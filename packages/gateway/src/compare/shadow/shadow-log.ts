// What shadow traffic recorded, pair by pair: a bounded in-memory ring (newest kept), read by the admin endpoint and
// `switchyard compare --from-shadow`. Message content is never kept: only figures and the outputs' similarity.
import type { Similarity } from '../similarity.js';

export interface SideFigures {
  target: string;
  ok: boolean;
  latencyMs: number;
  ttftMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  costNanos?: bigint;
  error?: string;
}

export interface ShadowPair {
  at: number;
  route: string;
  requestId: string;
  streamed: boolean;
  primary: SideFigures;
  shadow: SideFigures;
  similarity?: Similarity;
}

/** Pairs kept per gateway instance; at ~300 B each, 10k pairs is ~3 MB. */
export const SHADOW_LOG_CAPACITY = 10_000;

export class ShadowLog {
  private readonly ring: ShadowPair[] = [];
  private start = 0;

  constructor(private readonly capacity = SHADOW_LOG_CAPACITY) {}

  add(p: ShadowPair): void {
    if (this.ring.length < this.capacity) this.ring.push(p);
    else {
      this.ring[this.start] = p;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  list(filter: { route?: string; sinceMs?: number; limit?: number } = {}): ShadowPair[] {
    const ordered = [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
    const out = ordered.filter(
      (p) =>
        (filter.route === undefined || p.route === filter.route) &&
        (filter.sinceMs === undefined || p.at >= filter.sinceMs),
    );
    return filter.limit !== undefined ? out.slice(-filter.limit) : out;
  }
}

const side = (s: SideFigures) => ({
  target: s.target,
  ok: s.ok,
  latency_ms: Math.round(s.latencyMs),
  ...(s.ttftMs !== undefined && { ttft_ms: Math.round(s.ttftMs) }),
  ...(s.inputTokens !== undefined && { input_tokens: s.inputTokens }),
  ...(s.outputTokens !== undefined && { output_tokens: s.outputTokens }),
  ...(s.costNanos !== undefined && { cost_nanos: s.costNanos.toString() }),
  ...(s.error !== undefined && { error: s.error }),
});

/** The admin API's JSON for one pair (snake_case, money as integer nano-USD strings). */
export function pairView(p: ShadowPair) {
  return {
    at: new Date(p.at).toISOString(),
    route: p.route,
    request_id: p.requestId,
    streamed: p.streamed,
    primary: side(p.primary),
    shadow: side(p.shadow),
    ...(p.similarity && { similarity: p.similarity }),
  };
}
export type ShadowPairView = ReturnType<typeof pairView>;
