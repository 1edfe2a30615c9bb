import { describe, expect, it } from 'vitest';
import { checkGoals } from './goals.js';
import type { InterceptorEntry, MemoryEntry, OverheadEntry, StreamingEntry, SuiteResult } from './types.js';

const entry = (name: string, rps: number, addedP50: number, addedP99: number): OverheadEntry => ({
  name,
  c1: { p50_ms: 1, p90_ms: 1, p99_ms: 2, added_p50_ms: addedP50, added_p90_ms: addedP50, added_p99_ms: addedP99 },
  c32: { rps, p50_ms: 5, p99_ms: 9 },
  errors: 0,
});

const round = (sy: OverheadEntry, ...others: OverheadEntry[]) => ({
  contenders: [
    entry('direct', 6000, 0, 0),
    entry('bare', 4000, 0.2, 1.5),
    entry('portkey', 700, 1.6, 10),
    sy,
    ...others,
  ],
});

const suite = (...rounds: ReturnType<typeof round>[]): Record<string, SuiteResult> => ({
  overhead: { rounds, skipped: [], settings: {} },
});

const byGoal = (suites: Record<string, SuiteResult>) =>
  Object.fromEntries(checkGoals(suites).map((c) => [c.goal.split(' ').slice(0, 5).join(' '), c]));

describe('checkGoals', () => {
  it('passes when every round meets every overhead goal', () => {
    const out = checkGoals(
      suite(
        round(entry('switchyard', 3000, 0.3, 2), entry('switchyard-tracing', 2700, 0.4, 2)),
        round(entry('switchyard', 2900, 0.35, 2.5), entry('switchyard-tracing', 2500, 0.4, 2)),
      ),
    );
    expect(out).toHaveLength(6);
    expect(out.every((c) => c.pass)).toBe(true);
    const rps = out.find((c) => c.goal.startsWith('c=32 rps vs bare'));
    expect(rps?.perRound).toEqual([0.75, 0.725]);
    expect(rps?.value).toBe(0.725); // the worse (lower) round for a >= goal
  });

  it('judges by the worse round: one bad round fails the goal', () => {
    const g = byGoal(suite(round(entry('switchyard', 3000, 0.3, 2)), round(entry('switchyard', 1500, 0.9, 5))));
    expect(g['c=32 rps vs bare >=']?.pass).toBe(false);
    expect(g['c=32 rps vs bare >=']?.value).toBe(0.375);
    expect(g['c=1 added p50 vs bare']?.value).toBe(4.5); // the worse (higher) round for a <= goal
    expect(g['c=1 added p50 vs bare']?.pass).toBe(false);
    expect(g['c=1 added p99 vs portkey']?.value).toBe(0.5);
  });

  it('judges tracing on as a throughput ratio to tracing off (issue 15: >= 0.85×)', () => {
    const g = byGoal(
      suite(
        round(entry('switchyard', 3000, 0.3, 2), entry('switchyard-tracing', 2700, 0.4, 2)),
        round(entry('switchyard', 3000, 0.3, 2), entry('switchyard-tracing', 2400, 0.4, 2)),
      ),
    );
    const tracing = g['c=32 rps tracing on vs'];
    expect(tracing?.perRound).toEqual([0.9, 0.8]);
    expect(tracing?.pass).toBe(false);
  });

  it("judges streaming by bare's added first byte and Switchyard's lead over it", () => {
    const se = (name: string, added: number) => ({ name, added_ttft_p50_ms: added }) as StreamingEntry;
    const r = (bare: number, sy: number) => ({ contenders: [se('direct', 0), se('bare', bare), se('switchyard', sy)] });
    const judge = (...rounds: ReturnType<typeof r>[]) =>
      checkGoals({ streaming: { rounds, skipped: [], settings: {} } });
    const [bareGoal, syGoal] = judge(r(0.3, 0.5), r(0.4, 0.65));
    expect(bareGoal?.value).toBe(0.4);
    expect(bareGoal?.pass).toBe(true);
    expect(syGoal?.perRound).toEqual([0.2, 0.25]);
    expect(syGoal?.pass).toBe(true);
    const [slowBare, slowSy] = judge(r(0.9, 1.0), r(0.3, 0.9));
    expect(slowBare?.pass).toBe(false); // a slow pass-through fails the harness goal even when Switchyard keeps up
    expect(slowSy?.value).toBe(0.6);
    expect(slowSy?.pass).toBe(false);
  });

  it('fails a goal whose contender was not measured, and floors a noise-level denominator', () => {
    const noPortkey = {
      contenders: [entry('direct', 6000, 0, 0), entry('bare', 4000, 0.01, 1), entry('switchyard', 3000, 0.08, 2)],
    };
    const g = byGoal(suite(noPortkey, noPortkey));
    expect(g['c=32 rps vs portkey >=']?.pass).toBe(false);
    expect(g['c=32 rps vs portkey >=']?.note).toMatch(/not measured/);
    expect(g['c=1 added p50 vs bare']?.value).toBe(1.6); // 0.08 / max(0.01, 0.05)
  });

  it('only judges suites that ran', () => {
    expect(checkGoals({})).toEqual([]);
  });

  it('judges instrument() as a ratio to otel-manual and its no-op cost in µs (JSON, replayed only)', () => {
    // The ratio reads the plain added mean (both variants' own garbage and export work count); the no-op goal
    // reads the block median (the others' collections land on its calls).
    const ie = (name: InterceptorEntry['name'], added: number, transport: InterceptorEntry['transport'] = 'replay') =>
      ({
        name,
        transport,
        mode: 'json',
        added_mean_us: name === 'openai-sdk-instrumented-noop' ? added * 7 : added,
        added_block_median_us: name === 'openai-sdk-instrumented-noop' ? added : added * 7,
      }) as InterceptorEntry;
    const r = (instrumented: number, manual: number, noop: number) => ({
      contenders: [
        ie('openai-sdk', 0),
        ie('openai-sdk-instrumented', instrumented),
        ie('openai-sdk-otel-manual', manual),
        ie('openai-sdk-instrumented-noop', noop),
        // Loopback entries are not judged.
        ie('openai-sdk-instrumented', 500, 'simulator'),
      ],
    });
    const out = checkGoals({ interceptor: { rounds: [r(30, 25, 12), r(45, 25, 25)], skipped: [], settings: {} } });
    const [vsManual, noop] = out;
    expect(vsManual?.perRound).toEqual([1.2, 1.8]);
    expect(vsManual?.pass).toBe(false);
    expect(noop?.perRound).toEqual([12, 25]);
    expect(noop?.pass).toBe(false);
    // otel-manual near zero: the denominator is floored, the ratio stays finite.
    const floored = checkGoals({ interceptor: { rounds: [r(1.2, 0, 5)], skipped: [], settings: {} } });
    expect(floored[0]?.perRound).toEqual([1.2]);
    expect(floored.every((c) => c.pass)).toBe(true);
  });

  it('judges memory growth only on a soak long enough to tell growth from noise (--full, not quick)', () => {
    const me = (growth: number) => ({ name: 'switchyard', soak_growth_mib_per_min: growth }) as MemoryEntry;
    const memory = (soakS: number, growth: number) =>
      checkGoals({ memory: { rounds: [{ contenders: [me(growth)] }], skipped: [], settings: { soakS } } });
    const [quick] = memory(6, 17.9);
    expect(quick?.notJudged).toMatch(/6 s soak/);
    expect(quick?.value).toBe(17.9); // still reported
    const [full] = memory(120, 17.9);
    expect(full?.notJudged).toBeUndefined();
    expect(full?.pass).toBe(false);
    expect(memory(120, 1.2)[0]?.pass).toBe(true);
  });
});
