// Shapes of a benchmark run. `latest.json` is a public contract (issue 9): the overhead suite's
// `{rounds: [{contenders: [{name, c1, c32, errors}]}]}` keeps its field names; other suites add their own.

export interface Machine {
  cpu: string;
  cores: number;
  memoryMiB: number;
  os: string;
  loadavg: number[];
}

export interface Latency {
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  mean_ms: number;
  count: number;
}

/** One overhead-suite contender in one round. `added_*` is vs `direct` in the same round. */
export interface OverheadEntry {
  name: string;
  c1: {
    p50_ms: number;
    p90_ms: number;
    p99_ms: number;
    added_p50_ms: number;
    added_p90_ms: number;
    added_p99_ms: number;
  };
  c32: { rps: number; p50_ms: number; p99_ms: number };
  errors: number;
  /** Max RPS whose p99 stays within the added-latency budget with zero errors (null: no step qualified). */
  frontier?: { under_1ms: number | null; under_5ms: number | null; under_10ms: number | null };
  frontier_steps?: FrontierStep[];
}

export interface FrontierStep {
  rate: number;
  rps: number;
  p99_ms: number;
  added_p99_ms: number;
  errors: number;
}

export interface Round<T> {
  contenders: T[];
}

export interface SuiteResult<T = unknown> {
  rounds: Round<T>[];
  /** Contenders that could not run, with the reason. */
  skipped: { name: string; reason: string }[];
  settings: Record<string, unknown>;
}

export interface RunResult {
  machine: Machine;
  node: string;
  startedAt: string;
  finishedAt: string;
  profile: 'quick' | 'full';
  /** How the Switchyard contenders ran: the built dist (default) or from source through tsx. */
  switchyardRuntime?: 'dist' | 'tsx';
  suites: Record<string, SuiteResult>;
  checks?: CheckOutcome[];
}

export interface CheckOutcome {
  suite: string;
  goal: string;
  /** Worse of the rounds. */
  value: number | null;
  limit: number;
  unit: string;
  pass: boolean;
  perRound: (number | null)[];
  note?: string;
  /** Why this run cannot judge the goal (e.g. the quick profile's soak is too short); it then neither passes nor misses. */
  notJudged?: string;
}

/** Fallback: latency of the request served by the secondary after the primary failed, vs the secondary alone. */
export interface FallbackEntry {
  name: string;
  scenario: 'secondary-alone' | 'refused' | '503' | 'hang' | 'breaker-open';
  p50_ms: number;
  p99_ms: number;
  added_p50_ms: number;
  added_p99_ms: number;
  errors: number;
  count: number;
  /** Requests the primary's simulator received during the measurement (null: not countable, e.g. refused). */
  primary_calls: number | null;
}

/** Streaming: time to first byte of the body and gaps between body reads, vs direct. */
export interface StreamingEntry {
  name: string;
  ttft_p50_ms: number;
  ttft_p99_ms: number;
  added_ttft_p50_ms: number;
  added_ttft_p99_ms: number;
  gap_p50_ms: number;
  gap_p99_ms: number;
  added_gap_p99_ms: number;
  total_p50_ms: number;
  events_per_stream: number;
  /** Streams failed plus background calls failed. */
  errors: number;
  /** Unstreamed background calls served during the measured blocks (steady traffic; absent in older results). */
  background_calls?: number;
}

/** Translation: OpenAI-format in, each upstream format out; added vs that upstream reached natively. */
/** Cache: the same chat call; `switchyard-cache-hit` answers every request from its response cache. */
export interface CacheEntry {
  name: string;
  c1_p50_ms: number;
  c1_p99_ms: number;
  /** vs `direct` in the same round */
  added_p50_ms: number;
  added_p99_ms: number;
  c32_rps: number;
  c32_p99_ms: number;
  errors: number;
}

export interface TranslationEntry {
  name: string;
  upstream: 'openai' | 'anthropic' | 'gemini';
  c1_p50_ms: number;
  c1_p99_ms: number;
  added_p50_ms: number;
  added_p99_ms: number;
  c32_rps: number;
  errors: number;
}

/** Interceptor: the official openai client, bare vs instrument()-wrapped, same simulator. */
export interface InterceptorEntry {
  name: 'openai-sdk' | 'openai-sdk-instrumented' | 'openai-sdk-otel-manual' | 'openai-sdk-instrumented-noop';
  /** `simulator`: over loopback; `replay`: the simulator's recorded answers served by an in-memory fetch. */
  transport: 'simulator' | 'replay';
  mode: 'json' | 'stream';
  mean_us: number;
  p50_us: number;
  added_mean_us: number;
  added_p50_us: number;
  /**
   * The added mean that one slow stretch cannot move: each block's mean minus the baseline's mean in the same block
   * (adjacent in time), then the median over blocks. Absent in results older than 2026-12-07.
   */
  added_block_median_us?: number;
  calls: number;
  errors: number;
}

export interface MemoryEntry {
  name: string;
  idle_mib: number;
  load_peak_mib: number;
  soak_growth_mib_per_min: number;
  after_mib: number;
  soak_rps: number;
  errors: number;
}
