// Throughput frontier: the highest offered rate a contender served with zero errors, at >= 90 % of the rate,
// with p99 no more than the budget above `direct`'s p99 at the same rate.
import type { FrontierStep } from '../types.js';

export const FRONTIER_BUDGETS_MS = [1, 5, 10] as const;
/** A step counts as served only if the achieved rate is at least this share of the offered rate. */
export const MIN_RATE_SHARE = 0.9;

export function stepQualifies(step: FrontierStep, budgetMs: number): boolean {
  return step.errors === 0 && step.rps >= MIN_RATE_SHARE * step.rate && step.added_p99_ms <= budgetMs;
}

/** Max achieved rps over qualifying steps, per budget (null when none qualified). */
export function frontierOf(steps: readonly FrontierStep[]): {
  under_1ms: number | null;
  under_5ms: number | null;
  under_10ms: number | null;
} {
  const best = (budget: number) => {
    let max: number | null = null;
    for (const s of steps) if (stepQualifies(s, budget) && (max === null || s.rps > max)) max = s.rps;
    return max;
  };
  return { under_1ms: best(1), under_5ms: best(5), under_10ms: best(10) };
}

/** Whether a contender is worth trying at the next, higher rate. */
export function keepClimbing(step: FrontierStep): boolean {
  return stepQualifies(step, FRONTIER_BUDGETS_MS[FRONTIER_BUDGETS_MS.length - 1] as number);
}
