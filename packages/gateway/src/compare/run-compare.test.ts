// The run loop with a fake caller: bounded concurrency, the cost cap's reservations, judge accounting.
import { describe, expect, it } from 'vitest';
import type { CallRequest, CallResult, ModelCaller } from './model-caller.js';
import type { PromptCase } from './prompt-set.js';
import { runCompare } from './run-compare.js';

const prompts: PromptCase[] = Array.from({ length: 10 }, (_, i) => ({
  id: `p${i}`,
  messages: [{ role: 'user', content: `q${i}` }],
  assert: [{ contains: 'ok' }],
  params: {},
}));

/** Answers after a few event-loop turns; costs `cost(model)`; tracks the most calls in flight at once. */
function fakeCaller(
  cost: (model: string) => bigint,
  bound?: (model: string) => bigint,
): ModelCaller & { peak: number; calls: CallRequest[] } {
  let inFlight = 0;
  const state = {
    peak: 0,
    calls: [] as CallRequest[],
    async call(req: CallRequest): Promise<CallResult> {
      state.calls.push(req);
      inFlight++;
      state.peak = Math.max(state.peak, inFlight);
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      inFlight--;
      const text = req.model === 'judge' ? '{"score": 9, "reason": "fine"}' : 'ok answer';
      return { ok: true, text, latencyMs: 10, costNanos: cost(req.model) };
    },
    async close() {},
    ...(bound && { bound: (req: CallRequest) => bound(req.model) }),
  };
  return state;
}

describe('runCompare', () => {
  it('runs every prompt × model × run with at most `concurrency` calls in flight', async () => {
    const caller = fakeCaller(() => 5n);
    const run = await runCompare(caller, { models: ['a', 'b'], prompts, runs: 2, concurrency: 3 });
    expect(run.outcomes).toHaveLength(40);
    expect(caller.peak).toBe(3);
    expect(run.spentNanos).toBe(200n);
    expect(run.stopped).toBeUndefined();
    expect(run.outcomes.every((o) => o.assertions[0]?.pass)).toBe(true);
  });

  it('with price bounds: reserves before each call, never passes the cap, uses it fully, says it stopped', async () => {
    // Each call costs 100 and is bounded at 100: a cap of 1,050 fits exactly 10 calls.
    const caller = fakeCaller(
      () => 100n,
      () => 100n,
    );
    const run = await runCompare(caller, {
      models: ['a', 'b'],
      prompts,
      runs: 1,
      concurrency: 4,
      maxCostNanos: 1_050n,
    });
    expect(run.outcomes).toHaveLength(10);
    expect(run.spentNanos).toBe(1_000n);
    expect(run.stopped).toEqual({ reason: 'cost_cap', spentNanos: 1_000n, capNanos: 1_050n, skippedCalls: 10 });
    // Round-robin: both models got the same prompts.
    expect(run.outcomes.filter((o) => o.model === 'a')).toHaveLength(5);
  });

  it('without price bounds: stops once spend reaches the cap; in-flight calls finish and count', async () => {
    const caller = fakeCaller(() => 100n);
    const run = await runCompare(caller, { models: ['a'], prompts, runs: 1, concurrency: 2, maxCostNanos: 450n });
    expect(run.stopped?.reason).toBe('cost_cap');
    for (const o of run.outcomes) expect(o.spentAtStartNanos).toBeLessThan(450n);
    expect(run.spentNanos).toBeLessThanOrEqual(450n + 100n);
    expect(run.stopped?.skippedCalls).toBe(10 - run.outcomes.length);
  });

  it('judges each successful answer and counts the judge apart, inside the same cap', async () => {
    const caller = fakeCaller((m) => (m === 'judge' ? 7n : 100n));
    const run = await runCompare(caller, {
      models: ['a'],
      prompts: prompts.slice(0, 3),
      runs: 1,
      concurrency: 2,
      judge: 'judge',
    });
    expect(run.outcomes.map((o) => o.judge?.score)).toEqual([9, 9, 9]);
    expect(run.judgeSpentNanos).toBe(21n);
    expect(run.spentNanos).toBe(321n);
    const judgeCall = caller.calls.find((c) => c.model === 'judge');
    expect(judgeCall?.messages[1]?.content).toContain('ok answer');
  });

  it('a cap of zero makes no call at all', async () => {
    const caller = fakeCaller(
      () => 1n,
      () => 1n,
    );
    const run = await runCompare(caller, { models: ['a'], prompts, runs: 1, concurrency: 2, maxCostNanos: 0n });
    expect(run.outcomes).toEqual([]);
    expect(caller.calls).toEqual([]);
    expect(run.stopped?.skippedCalls).toBe(10);
  });
});
