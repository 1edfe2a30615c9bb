// Run lengths as data. `quick` is the default `pnpm bench` (~9 min for every suite); `full` gives steadier numbers.
export interface Profile {
  name: 'quick' | 'full';
  rounds: number;
  warmupS: number;
  overhead: { c1S: number; c32S: number; frontierStepS: number; frontierRates: number[] };
  fallback: { requests: number; firstByteTimeoutMs: number };
  streaming: { streams: number; concurrency: number; chunks: number; chunkDelayMs: number };
  translation: { c1S: number; c32S: number };
  interceptor: { calls: number; block: number };
  memory: { loadS: number; soakS: number; soakRate: number; settleS: number; sampleMs: number };
  cache: { c1S: number; c32S: number };
}

export const PROFILES: Record<Profile['name'], Profile> = {
  quick: {
    name: 'quick',
    rounds: 2,
    warmupS: 1,
    // c=32 for 3 s in three slices: with 1.5 s (0.5 s slices) one host hiccup moved a round's ratio by ±0.1.
    overhead: { c1S: 2, c32S: 3, frontierStepS: 1, frontierRates: [500, 1000, 2000, 4000] },
    // 300, not fewer: the breaker-open goal is a p50 difference within 0.3 ms, and two 80-sample p50s on this box
    // differed by −0.34 to +0.41 ms across runs where 1,000-sample ones (full) differ by 0.08 ms.
    fallback: { requests: 300, firstByteTimeoutMs: 100 },
    // 32 streams (4 blocks of 8), not 16: a p50 of 16 first bytes swung 1.6 ↔ 4.2 ms between two rounds of one run.
    streaming: { streams: 32, concurrency: 4, chunks: 64, chunkDelayMs: 20 },
    translation: { c1S: 1, c32S: 1 },
    interceptor: { calls: 1000, block: 100 },
    memory: { loadS: 2, soakS: 6, soakRate: 400, settleS: 1, sampleMs: 200 },
    cache: { c1S: 2, c32S: 1.5 },
  },
  full: {
    name: 'full',
    rounds: 3,
    warmupS: 3,
    overhead: {
      c1S: 10,
      c32S: 10,
      frontierStepS: 4,
      frontierRates: [250, 500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000],
    },
    fallback: { requests: 1000, firstByteTimeoutMs: 100 },
    streaming: { streams: 64, concurrency: 16, chunks: 64, chunkDelayMs: 20 },
    translation: { c1S: 8, c32S: 8 },
    interceptor: { calls: 20_000, block: 500 },
    memory: { loadS: 10, soakS: 120, soakRate: 500, settleS: 5, sampleMs: 500 },
    cache: { c1S: 8, c32S: 8 },
  },
};
