// The goal ratios of issues 9 and 15 (15 tightened them), as data, judged on the worse round. Ratios within one round cancel out most of
// the shared-box noise; the worse of the rounds keeps a lucky round from passing a release.
import type {
  CheckOutcome,
  FallbackEntry,
  InterceptorEntry,
  MemoryEntry,
  OverheadEntry,
  Round,
  StreamingEntry,
  SuiteResult,
} from './types.js';

export const SUBJECT = 'switchyard';
/** Added latencies below this (ms) are within loopback noise; a denominator is floored here so a ratio stays finite. */
export const NOISE_FLOOR_MS = 0.05;
/** The shortest soak (s) whose RSS slope the memory goal trusts. */
export const MIN_SOAK_S = 60;

interface Goal<T> {
  suite: string;
  goal: string;
  op: '<=' | '>=';
  limit: number;
  unit: string;
  /** The goal's value in one round, or null when a needed contender was not measured. */
  value(round: Round<T>): number | null;
  note?: string;
  /** A reason this run's settings cannot judge the goal, or undefined when they can. */
  notJudgedBy?(settings: Record<string, unknown>): string | undefined;
}

const find = <T extends { name: string }>(r: Round<T>, name: string, pred: (e: T) => boolean = () => true) =>
  r.contenders.find((e) => e.name === name && pred(e));
const finite = (v: number | undefined | null): v is number => typeof v === 'number' && Number.isFinite(v);
const ratio = (a: number | undefined, b: number | undefined, floor = 0): number | null =>
  finite(a) && finite(b) ? a / Math.max(b, floor) : null;

const overheadGoals: Goal<OverheadEntry>[] = [
  {
    suite: 'overhead',
    goal: 'c=32 rps vs bare',
    op: '>=',
    limit: 0.5,
    unit: '×',
    value: (r) => ratio(find(r, SUBJECT)?.c32.rps, find(r, 'bare')?.c32.rps),
  },
  {
    suite: 'overhead',
    goal: 'c=32 rps vs portkey',
    op: '>=',
    limit: 4,
    unit: '×',
    value: (r) => ratio(find(r, SUBJECT)?.c32.rps, find(r, 'portkey')?.c32.rps),
  },
  {
    suite: 'overhead',
    goal: 'c=1 added p50 vs bare',
    op: '<=',
    limit: 2,
    unit: '×',
    value: (r) => ratio(find(r, SUBJECT)?.c1.added_p50_ms, find(r, 'bare')?.c1.added_p50_ms, NOISE_FLOOR_MS),
    note: `denominator floored at ${NOISE_FLOOR_MS} ms`,
  },
  {
    suite: 'overhead',
    goal: 'c=1 added p50 vs portkey',
    op: '<=',
    limit: 0.25,
    unit: '×',
    value: (r) => ratio(find(r, SUBJECT)?.c1.added_p50_ms, find(r, 'portkey')?.c1.added_p50_ms, NOISE_FLOOR_MS),
  },
  {
    suite: 'overhead',
    goal: 'c=1 added p99 vs portkey',
    op: '<=',
    limit: 0.3,
    unit: '×',
    value: (r) => ratio(find(r, SUBJECT)?.c1.added_p99_ms, find(r, 'portkey')?.c1.added_p99_ms, NOISE_FLOOR_MS),
  },
  {
    suite: 'overhead',
    goal: 'c=32 rps tracing on vs off',
    op: '>=',
    limit: 0.85,
    unit: '×',
    value: (r) => ratio(find(r, `${SUBJECT}-tracing`)?.c32.rps, find(r, SUBJECT)?.c32.rps),
    note: 'switchyard-tracing (OTLP/HTTP export on) / switchyard',
  },
];

const fallbackGoal = (scenario: FallbackEntry['scenario'], limit: number, what: string): Goal<FallbackEntry> => ({
  suite: 'fallback',
  goal: `${what}: added p50 vs secondary alone`,
  op: '<=',
  limit,
  unit: 'ms',
  value: (r) => find(r, SUBJECT, (e) => e.scenario === scenario)?.added_p50_ms ?? null,
});

const fallbackGoals = [
  fallbackGoal('refused', 2, 'refused primary'),
  fallbackGoal('503', 2, '503 primary'),
  { ...fallbackGoal('breaker-open', 0.3, 'breaker open'), note: '"≈ 0" read as within 0.3 ms' },
];

const addedTtft = (r: Round<StreamingEntry>, name: string) => find(r, name)?.added_ttft_p50_ms ?? null;

const streamingGoals: Goal<StreamingEntry>[] = [
  {
    suite: 'streaming',
    goal: 'bare added TTFT p50 vs direct',
    op: '<=',
    limit: 0.5,
    unit: 'ms',
    value: (r) => addedTtft(r, 'bare'),
    note: 'a pass-through must not delay the first byte: this checks the harness as much as the proxy',
  },
  {
    suite: 'streaming',
    goal: "added TTFT p50 vs bare's",
    op: '<=',
    limit: 0.3,
    unit: 'ms',
    value: (r) => {
      const sy = addedTtft(r, SUBJECT);
      const bare = addedTtft(r, 'bare');
      return sy === null || bare === null ? null : sy - bare;
    },
  },
];

/** Added µs below this are within the replay's own jitter; the otel-manual denominator is floored here. */
export const INTERCEPTOR_FLOOR_US = 1;
const replayJson = (e: InterceptorEntry) => e.mode === 'json' && e.transport === 'replay';

const interceptorGoals: Goal<InterceptorEntry>[] = [
  {
    suite: 'interceptor',
    goal: "instrument() added mean vs otel-manual's (JSON, replayed)",
    op: '<=',
    limit: 1.5,
    unit: '×',
    value: (r) =>
      ratio(
        find(r, 'openai-sdk-instrumented', replayJson)?.added_mean_us,
        find(r, 'openai-sdk-otel-manual', replayJson)?.added_mean_us,
        INTERCEPTOR_FLOOR_US,
      ),
    note: 'real OTel SDK providers for both; otel-manual = one hand-written span + the same metric points',
  },
  {
    suite: 'interceptor',
    goal: 'instrument() with no-op OTel providers, added mean per call (JSON, replayed)',
    op: '<=',
    limit: 20,
    unit: 'µs',
    value: (r) => find(r, 'openai-sdk-instrumented-noop', replayJson)?.added_block_median_us ?? null,
    // Its own garbage is small, but it runs between variants that make ten times as much: their collections land
    // on its calls and move its plain mean by ±10 µs between rounds. The block median keeps its own cost.
    note: "in-memory replay of the simulator answers: loopback noise would swamp 20 µs; added mean as the median over blocks of the per-block difference (others' GC lands on its calls)",
  },
];

const memoryGoals: Goal<MemoryEntry>[] = [
  {
    suite: 'memory',
    goal: 'RSS growth in soak',
    op: '<=',
    limit: 2,
    unit: 'MiB/min',
    value: (r) => find(r, SUBJECT)?.soak_growth_mib_per_min ?? null,
    note: '"≈ 0" read as within 2 MiB/min (RSS noise of a short soak)',
    // Issue 15: a 6 s soak cannot tell growth from RSS noise (bare itself "grows" 20–30 MiB/min there).
    notJudgedBy: (settings) =>
      Number(settings.soakS) >= MIN_SOAK_S
        ? undefined
        : `a ${settings.soakS} s soak cannot judge growth: --full (${MIN_SOAK_S}+ s) does`,
  },
];

const GOALS = [
  ...overheadGoals,
  ...fallbackGoals,
  ...streamingGoals,
  ...interceptorGoals,
  ...memoryGoals,
] as Goal<unknown>[];

/** Judge every goal whose suite ran. A goal whose value is missing in any round fails (not measured). */
export function checkGoals(suites: Record<string, SuiteResult>): CheckOutcome[] {
  const out: CheckOutcome[] = [];
  for (const g of GOALS) {
    const suite = suites[g.suite];
    if (!suite) continue;
    const perRound = suite.rounds.map((r) => {
      const v = g.value(r);
      return v === null || !Number.isFinite(v) ? null : Math.round(v * 1000) / 1000;
    });
    const known = perRound.filter((v): v is number => v !== null);
    const complete = known.length === perRound.length && known.length > 0;
    const worse = known.length === 0 ? null : g.op === '<=' ? Math.max(...known) : Math.min(...known);
    const notJudged = g.notJudgedBy?.(suite.settings);
    const pass = complete && worse !== null && (g.op === '<=' ? worse <= g.limit : worse >= g.limit);
    out.push({
      ...(notJudged !== undefined && { notJudged }),
      suite: g.suite,
      goal: `${g.goal} ${g.op} ${g.limit}${g.unit === '×' ? '×' : ` ${g.unit}`}`,
      value: worse,
      limit: g.limit,
      unit: g.unit,
      pass,
      perRound,
      note: complete ? g.note : 'not measured in every round',
    });
  }
  return out;
}
