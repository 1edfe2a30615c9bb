// latest.md: one table per suite (every round, so the spread is visible) and the goal checks.
import { fmt } from '../progress.js';
import type {
  CacheEntry,
  CheckOutcome,
  FallbackEntry,
  InterceptorEntry,
  MemoryEntry,
  OverheadEntry,
  RunResult,
  StreamingEntry,
  SuiteResult,
  TranslationEntry,
} from '../types.js';

type Col<T> = [header: string, cell: (e: T) => string];

export function table<T>(rows: { round: number; entry: T }[], cols: Col<T>[]): string {
  const head = `| round | ${cols.map((c) => c[0]).join(' | ')} |`;
  const sep = `|---|${cols.map(() => '---:').join('|')}|`;
  const body = rows.map((r) => `| ${r.round} | ${cols.map((c) => c[1](r.entry)).join(' | ')} |`);
  return [head, sep, ...body].join('\n');
}

const ms = (v: number | null | undefined) => fmt(v, 3);
const n0 = (v: number | null | undefined) => fmt(v, 0);
const name: Col<{ name: string }> = ['contender', (e) => `\`${e.name}\``];

const flat = <T>(s: SuiteResult) =>
  s.rounds.flatMap((r, i) => (r.contenders as T[]).map((entry) => ({ round: i + 1, entry })));

const SECTIONS: Record<string, { title: string; cols: Col<never>[] }> = {
  overhead: {
    title: 'Overhead (OpenAI chat, 0 ms simulator; added = vs `direct` in the same round)',
    cols: [
      name,
      ['c=1 p50 ms', (e: OverheadEntry) => ms(e.c1.p50_ms)],
      ['c=1 p99 ms', (e: OverheadEntry) => ms(e.c1.p99_ms)],
      ['added p50 ms', (e: OverheadEntry) => ms(e.c1.added_p50_ms)],
      ['added p90 ms', (e: OverheadEntry) => ms(e.c1.added_p90_ms)],
      ['added p99 ms', (e: OverheadEntry) => ms(e.c1.added_p99_ms)],
      ['c=32 rps', (e: OverheadEntry) => n0(e.c32.rps)],
      ['c=32 p99 ms', (e: OverheadEntry) => ms(e.c32.p99_ms)],
      ['max rps, p99 +1/5/10 ms', (e: OverheadEntry) => (e.frontier ? frontierCell(e.frontier) : '–')],
      ['errors', (e: OverheadEntry) => String(e.errors)],
    ] as Col<never>[],
  },
  fallback: {
    title:
      'Fallback (served by the secondary; added = vs the secondary alone through the same contender; `hang` includes the first-byte timeout)',
    cols: [
      name,
      ['scenario', (e: FallbackEntry) => e.scenario],
      ['p50 ms', (e: FallbackEntry) => ms(e.p50_ms)],
      ['p99 ms', (e: FallbackEntry) => ms(e.p99_ms)],
      ['added p50 ms', (e: FallbackEntry) => ms(e.added_p50_ms)],
      ['added p99 ms', (e: FallbackEntry) => ms(e.added_p99_ms)],
      ['errors', (e: FallbackEntry) => `${e.errors}/${e.count}`],
      ['primary called', (e: FallbackEntry) => (e.primary_calls === null ? '–' : String(e.primary_calls))],
    ] as Col<never>[],
  },
  streaming: {
    title: 'Streaming (simulator: 64 chunks at 20 ms; TTFT = first body byte; added = vs `direct`)',
    cols: [
      name,
      ['TTFT p50 ms', (e: StreamingEntry) => ms(e.ttft_p50_ms)],
      ['TTFT p99 ms', (e: StreamingEntry) => ms(e.ttft_p99_ms)],
      ['added TTFT p50 ms', (e: StreamingEntry) => ms(e.added_ttft_p50_ms)],
      ['added TTFT p99 ms', (e: StreamingEntry) => ms(e.added_ttft_p99_ms)],
      ['gap p50 ms', (e: StreamingEntry) => ms(e.gap_p50_ms)],
      ['gap p99 ms', (e: StreamingEntry) => ms(e.gap_p99_ms)],
      ['added gap p99 ms', (e: StreamingEntry) => ms(e.added_gap_p99_ms)],
      ['reads/stream', (e: StreamingEntry) => fmt(e.events_per_stream, 1)],
      ['errors', (e: StreamingEntry) => String(e.errors)],
    ] as Col<never>[],
  },
  translation: {
    title: 'Translation (OpenAI format in; added = vs that upstream reached natively, c=1)',
    cols: [
      name,
      ['upstream', (e: TranslationEntry) => e.upstream],
      ['c=1 p50 ms', (e: TranslationEntry) => ms(e.c1_p50_ms)],
      ['c=1 p99 ms', (e: TranslationEntry) => ms(e.c1_p99_ms)],
      ['added p50 ms', (e: TranslationEntry) => ms(e.added_p50_ms)],
      ['added p99 ms', (e: TranslationEntry) => ms(e.added_p99_ms)],
      ['c=32 rps', (e: TranslationEntry) => n0(e.c32_rps)],
      ['errors', (e: TranslationEntry) => String(e.errors)],
    ] as Col<never>[],
  },
  cache: {
    title:
      'Response cache (OpenAI chat, 0 ms simulator; `switchyard-cache-hit` answers from its cache; added = vs `direct`)',
    cols: [
      name,
      ['c=1 p50 ms', (e: CacheEntry) => ms(e.c1_p50_ms)],
      ['c=1 p99 ms', (e: CacheEntry) => ms(e.c1_p99_ms)],
      ['added p50 ms', (e: CacheEntry) => ms(e.added_p50_ms)],
      ['added p99 ms', (e: CacheEntry) => ms(e.added_p99_ms)],
      ['c=32 rps', (e: CacheEntry) => n0(e.c32_rps)],
      ['c=32 p99 ms', (e: CacheEntry) => ms(e.c32_p99_ms)],
      ['errors', (e: CacheEntry) => String(e.errors)],
    ] as Col<never>[],
  },
  interceptor: {
    title: 'Interceptor (official `openai` client against the simulator, in-process)',
    cols: [
      name,
      ['transport', (e: InterceptorEntry) => e.transport],
      ['mode', (e: InterceptorEntry) => e.mode],
      ['mean µs', (e: InterceptorEntry) => fmt(e.mean_us, 1)],
      ['p50 µs', (e: InterceptorEntry) => fmt(e.p50_us, 1)],
      ['added mean µs', (e: InterceptorEntry) => fmt(e.added_mean_us, 1)],
      ['added p50 µs', (e: InterceptorEntry) => fmt(e.added_p50_us, 1)],
      ['calls', (e: InterceptorEntry) => String(e.calls)],
      ['errors', (e: InterceptorEntry) => String(e.errors)],
    ] as Col<never>[],
  },
  memory: {
    title: 'Memory (RSS of the server process, fresh process per round)',
    cols: [
      name,
      ['idle MiB', (e: MemoryEntry) => fmt(e.idle_mib, 1)],
      ['under load (peak) MiB', (e: MemoryEntry) => fmt(e.load_peak_mib, 1)],
      ['soak growth MiB/min', (e: MemoryEntry) => fmt(e.soak_growth_mib_per_min, 2)],
      ['after load MiB', (e: MemoryEntry) => fmt(e.after_mib, 1)],
      ['soak rps', (e: MemoryEntry) => n0(e.soak_rps)],
      ['errors', (e: MemoryEntry) => String(e.errors)],
    ] as Col<never>[],
  },
};

function frontierCell(f: NonNullable<OverheadEntry['frontier']>): string {
  return [f.under_1ms, f.under_5ms, f.under_10ms].map((v) => (v === null ? '–' : String(v))).join(' / ');
}

export function checksTable(checks: CheckOutcome[]): string {
  const rows = checks.map(
    (c) =>
      `| ${c.suite} | ${c.goal} | ${c.perRound.map((v) => fmt(v, 3)).join(', ')} | ${fmt(c.value, 3)} | ${c.notJudged !== undefined ? 'not judged' : c.pass ? 'pass' : '**MISS**'} | ${c.notJudged ?? c.note ?? ''} |`,
  );
  return ['| suite | goal | per round | worse | result | note |', '|---|---|---:|---:|---|---|', ...rows].join('\n');
}

export function renderMarkdown(run: RunResult): string {
  const out = [
    '# Switchyard benchmarks — latest run',
    '',
    `- machine: ${run.machine.cpu}, ${run.machine.cores} cores, ${run.machine.memoryMiB} MiB, ${run.machine.os}; load average at start ${run.machine.loadavg.join(' / ')}`,
    `- node ${run.node}; profile \`${run.profile}\`; ${run.startedAt} → ${run.finishedAt}`,
    '- loopback only; every server in its own process; ratios within one round are the result, absolute numbers are not',
    '',
  ];
  for (const [suiteName, suite] of Object.entries(run.suites)) {
    const section = SECTIONS[suiteName];
    if (!section) continue;
    out.push(`## ${section.title}`, '', table(flat<never>(suite), section.cols), '');
    for (const s of suite.skipped) out.push(`- skipped \`${s.name}\`: ${s.reason}`);
    out.push(`- settings: \`${JSON.stringify(suite.settings)}\``, '');
  }
  if (run.checks && run.checks.length > 0) {
    out.push('## Goals (worse of the rounds)', '', checksTable(run.checks), '');
  }
  return out.join('\n');
}
