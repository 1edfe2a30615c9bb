// The report's data, built once from a compare run (or from recorded shadow pairs) and rendered three ways
// (JSON, Markdown, HTML). Money stays integer nano-USD, written as strings, with a USD decimal beside it.
import { nanosToUsdString } from '@switchyard/core';
import type { AssertionResult } from '../assertions.js';
import { promptText } from '../prompt-set.js';
import type { CompareRun } from '../run-compare.js';
import { mean, meanBig, percentile, round, sumBig } from '../stats.js';

export interface Dist {
  p50?: number;
  p95?: number;
}

export interface ModelSummary {
  model: string;
  calls: number;
  errors: number;
  costNanos: string;
  costUsd: string;
  /** Mean cost of one call (prompt × run). */
  costPerCallUsd?: string;
  latencyMs: Dist;
  ttftMs: Dist;
  tokens: { input: number; output: number };
  assertions: { passed: number; total: number; rate?: number };
  judge?: { meanScore?: number; scored: number; costNanos: string; costUsd: string };
  /** Shadow reports: mean similarity of this model's output to the primary's (0..1). */
  similarity?: { mean?: number; pairs: number };
}

export interface Cell {
  run: number;
  ok: boolean;
  text?: string;
  error?: string;
  costNanos?: string;
  costUsd?: string;
  latencyMs: number;
  ttftMs?: number;
  inputTokens?: number;
  outputTokens?: number;
  servedBy?: string;
  assertions: AssertionResult[];
  judge?: { score?: number; reason: string };
  similarity?: { kind: string; score: number };
}

export interface PromptRow {
  id: string;
  prompt: string;
  expected?: string;
  cells: Record<string, Cell[]>;
}

export interface Report {
  version: 1;
  kind: 'compare' | 'shadow';
  title: string;
  createdAt: string;
  source: Record<string, unknown>;
  settings: Record<string, unknown>;
  stopped?: { reason: string; message: string; spentUsd: string; capUsd: string; skippedCalls: number };
  /** `cost*`: the compared models' calls; `judgeCost*`: the judge's, counted apart. */
  totals: {
    calls: number;
    plannedCalls: number;
    costNanos: string;
    costUsd: string;
    judgeCostNanos: string;
    judgeCostUsd: string;
  };
  models: ModelSummary[];
  prompts: PromptRow[];
}

export const usd = (n: bigint) => nanosToUsdString(n);

export interface SummaryInput {
  ok: boolean;
  latencyMs: number;
  ttftMs?: number;
  costNanos?: bigint;
  inputTokens?: number;
  outputTokens?: number;
  assertions: AssertionResult[];
  judgeScore?: number;
  judgeCostNanos?: bigint;
  judged?: boolean;
  similarity?: number;
}

/** Per-model figures from its calls: pure, shared by compare and shadow reports. */
export function summarize(model: string, calls: readonly SummaryInput[], withJudge: boolean): ModelSummary {
  const ok = calls.filter((c) => c.ok);
  const costs = calls.flatMap((c) => (c.costNanos !== undefined ? [c.costNanos] : []));
  const total = sumBig(costs);
  const perCall = meanBig(costs);
  const flat = calls.flatMap((c) => c.assertions);
  const passed = flat.filter((a) => a.pass).length;
  const dist = (xs: number[]): Dist => ({ p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)) });
  const s: ModelSummary = {
    model,
    calls: calls.length,
    errors: calls.length - ok.length,
    costNanos: total.toString(),
    costUsd: usd(total),
    ...(perCall !== undefined && { costPerCallUsd: usd(perCall) }),
    latencyMs: dist(ok.map((c) => c.latencyMs)),
    ttftMs: dist(ok.flatMap((c) => (c.ttftMs !== undefined ? [c.ttftMs] : []))),
    tokens: {
      input: calls.reduce((n, c) => n + (c.inputTokens ?? 0), 0),
      output: calls.reduce((n, c) => n + (c.outputTokens ?? 0), 0),
    },
    assertions: { passed, total: flat.length, ...(flat.length > 0 && { rate: round(passed / flat.length, 3) }) },
  };
  if (withJudge) {
    const scores = calls.flatMap((c) => (c.judgeScore !== undefined ? [c.judgeScore] : []));
    const jc = sumBig(calls.flatMap((c) => (c.judgeCostNanos !== undefined ? [c.judgeCostNanos] : [])));
    const m = round(mean(scores), 2);
    s.judge = {
      ...(m !== undefined && { meanScore: m }),
      scored: scores.length,
      costNanos: jc.toString(),
      costUsd: usd(jc),
    };
  }
  const sims = calls.flatMap((c) => (c.similarity !== undefined ? [c.similarity] : []));
  if (sims.length > 0) s.similarity = { mean: round(mean(sims), 3), pairs: sims.length } as ModelSummary['similarity'];
  return s;
}

export function compareReport(run: CompareRun): Report {
  const withJudge = run.options.judge !== undefined;
  const models = run.options.models.map((model) =>
    summarize(
      model,
      run.outcomes
        .filter((o) => o.model === model)
        .map((o) => ({
          ok: o.result.ok,
          latencyMs: o.result.latencyMs,
          assertions: o.assertions,
          ...(o.result.ttftMs !== undefined && { ttftMs: o.result.ttftMs }),
          ...(o.result.costNanos !== undefined && { costNanos: o.result.costNanos }),
          ...(o.result.inputTokens !== undefined && { inputTokens: o.result.inputTokens }),
          ...(o.result.outputTokens !== undefined && { outputTokens: o.result.outputTokens }),
          ...(o.judge?.score !== undefined && { judgeScore: o.judge.score }),
          ...(o.judge?.costNanos !== undefined && { judgeCostNanos: o.judge.costNanos }),
        })),
      withJudge,
    ),
  );
  const prompts: PromptRow[] = run.prompts.map((p) => {
    const cells: Record<string, Cell[]> = {};
    for (const m of run.options.models) cells[m] = [];
    for (const o of run.outcomes) {
      if (o.promptId !== p.id) continue;
      const r = o.result;
      cells[o.model]?.push({
        run: o.run,
        ok: r.ok,
        text: r.text,
        latencyMs: Math.round(r.latencyMs),
        assertions: o.assertions,
        ...(r.error !== undefined && { error: r.error }),
        ...(r.costNanos !== undefined && { costNanos: r.costNanos.toString(), costUsd: usd(r.costNanos) }),
        ...(r.ttftMs !== undefined && { ttftMs: Math.round(r.ttftMs) }),
        ...(r.inputTokens !== undefined && { inputTokens: r.inputTokens }),
        ...(r.outputTokens !== undefined && { outputTokens: r.outputTokens }),
        ...(r.servedBy !== undefined && { servedBy: r.servedBy }),
        ...(o.judge && {
          judge: {
            ...(o.judge.score !== undefined && { score: o.judge.score }),
            reason: o.judge.error ?? o.judge.reason,
          },
        }),
      });
    }
    for (const list of Object.values(cells)) list.sort((a, b) => a.run - b.run);
    return { id: p.id, prompt: promptText(p), ...(p.expected !== undefined && { expected: p.expected }), cells };
  });
  const report: Report = {
    version: 1,
    kind: 'compare',
    title: `Model comparison: ${run.options.models.join(' vs ')}`,
    createdAt: run.finishedAt,
    source: { startedAt: run.startedAt, finishedAt: run.finishedAt },
    settings: {
      models: run.options.models,
      runs: run.options.runs,
      concurrency: run.options.concurrency,
      prompts: run.prompts.length,
      ...(run.options.judge && { judge: run.options.judge }),
      ...(run.options.maxCostNanos !== undefined && { maxCostUsd: usd(run.options.maxCostNanos) }),
    },
    totals: {
      calls: run.outcomes.length,
      plannedCalls: run.plannedCalls,
      costNanos: (run.spentNanos - run.judgeSpentNanos).toString(),
      costUsd: usd(run.spentNanos - run.judgeSpentNanos),
      judgeCostNanos: run.judgeSpentNanos.toString(),
      judgeCostUsd: usd(run.judgeSpentNanos),
    },
    models,
    prompts,
  };
  if (run.stopped) {
    report.stopped = {
      reason: run.stopped.reason,
      message: `Stopped at the cost cap: $${usd(run.stopped.spentNanos)} spent of $${usd(run.stopped.capNanos)}; ${run.stopped.skippedCalls} planned call(s) not made.`,
      spentUsd: usd(run.stopped.spentNanos),
      capUsd: usd(run.stopped.capNanos),
      skippedCalls: run.stopped.skippedCalls,
    };
  }
  return report;
}
