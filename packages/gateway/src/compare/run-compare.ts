// A compare run: prompts × models × runs through a ModelCaller, bounded concurrency, an optional judge, and a cost
// cap. The cap is checked before every call (model or judge): once settled spend plus the expected cost of the
// calls in flight reaches it, no new call starts, in-flight calls finish and count, and the run says it stopped.
import { type AssertionResult, checkAll } from './assertions.js';
import { JUDGE_RESPONSE_FORMAT, type JudgeVerdict, judgeMessages, parseVerdict } from './judge.js';
import type { CallResult, ModelCaller } from './model-caller.js';
import type { PromptCase } from './prompt-set.js';

export interface CompareOptions {
  models: string[];
  prompts: PromptCase[];
  runs: number;
  concurrency: number;
  /** nano-USD; model and judge calls both count. */
  maxCostNanos?: bigint;
  judge?: string;
  rubric?: string;
  /** Called after each finished call (progress). */
  onProgress?(p: Progress): void;
}

export interface Progress {
  done: number;
  total: number;
  spentNanos: bigint;
  last?: { model: string; promptId: string; ok: boolean; latencyMs: number };
}

export interface CallOutcome {
  promptId: string;
  model: string;
  run: number;
  result: CallResult;
  assertions: AssertionResult[];
  judge?: JudgeVerdict & { costNanos?: bigint; error?: string };
  /** Spend (nano-USD) already settled when this call started: the cap is checked against it. */
  spentAtStartNanos: bigint;
}

export interface CompareRun {
  startedAt: string;
  finishedAt: string;
  options: Omit<CompareOptions, 'onProgress' | 'prompts'>;
  prompts: PromptCase[];
  outcomes: CallOutcome[];
  plannedCalls: number;
  stopped?: { reason: 'cost_cap'; spentNanos: bigint; capNanos: bigint; skippedCalls: number };
  spentNanos: bigint;
  judgeSpentNanos: bigint;
}

interface Task {
  prompt: PromptCase;
  model: string;
  run: number;
}

/** Round-robin order (run → prompt → model) so a run cut short by the cap still compares every model fairly. */
function plan(o: CompareOptions): Task[] {
  const tasks: Task[] = [];
  for (let run = 1; run <= o.runs; run++)
    for (const prompt of o.prompts) for (const model of o.models) tasks.push({ prompt, model, run });
  return tasks;
}

export async function runCompare(caller: ModelCaller, o: CompareOptions): Promise<CompareRun> {
  const startedAt = new Date().toISOString();
  const tasks = plan(o);
  const outcomes: CallOutcome[] = [];
  let spent = 0n;
  let judgeSpent = 0n;
  let next = 0;
  let stopped = false;
  // Expected cost of calls in flight: the largest cost seen so far per model (0 before the first), as a bound.
  const maxSeen = new Map<string, bigint>();
  let inflight = 0n;

  /** Reserves the expected cost of one call, or refuses (and stops the run) when it would cross the cap. */
  const admit = (model: string): bigint | undefined => {
    if (stopped) return undefined;
    const expect = maxSeen.get(model) ?? 0n;
    if (o.maxCostNanos !== undefined && (spent >= o.maxCostNanos || spent + inflight + expect > o.maxCostNanos)) {
      stopped = true;
      return undefined;
    }
    inflight += expect;
    return expect;
  };
  const settle = (model: string, reserved: bigint, cost: bigint | undefined) => {
    inflight -= reserved;
    if (cost === undefined) return;
    spent += cost;
    if (cost > (maxSeen.get(model) ?? 0n)) maxSeen.set(model, cost);
  };

  const judgeOnce = async (t: Task, answer: string): Promise<CallOutcome['judge']> => {
    const judge = o.judge as string;
    const reserved = admit(judge);
    if (reserved === undefined) return { reason: 'not judged: cost cap reached' };
    const r = await caller.call({
      model: judge,
      messages: judgeMessages(t.prompt, answer, o.rubric),
      params: { temperature: 0, max_tokens: 300, response_format: JUDGE_RESPONSE_FORMAT },
    });
    settle(judge, reserved, r.costNanos);
    if (r.costNanos !== undefined) judgeSpent += r.costNanos;
    if (!r.ok)
      return {
        reason: 'judge call failed',
        error: r.error ?? 'failed',
        ...(r.costNanos !== undefined && { costNanos: r.costNanos }),
      };
    return { ...parseVerdict(r.text), ...(r.costNanos !== undefined && { costNanos: r.costNanos }) };
  };

  const worker = async () => {
    for (;;) {
      if (next >= tasks.length) return;
      const t = tasks[next] as Task;
      const spentAtStart = spent;
      const reserved = admit(t.model);
      if (reserved === undefined) return;
      next++;
      const result = await caller.call({ model: t.model, messages: t.prompt.messages, params: t.prompt.params });
      settle(t.model, reserved, result.costNanos);
      const outcome: CallOutcome = {
        promptId: t.prompt.id,
        model: t.model,
        run: t.run,
        result,
        assertions: result.ok ? checkAll(t.prompt.assert, result.text) : [],
        spentAtStartNanos: spentAtStart,
      };
      if (o.judge && result.ok) outcome.judge = await judgeOnce(t, result.text);
      outcomes.push(outcome);
      o.onProgress?.({
        done: outcomes.length,
        total: tasks.length,
        spentNanos: spent,
        last: { model: t.model, promptId: t.prompt.id, ok: result.ok, latencyMs: result.latencyMs },
      });
    }
  };
  const width = Math.max(1, Math.min(o.concurrency, tasks.length));
  await Promise.all(Array.from({ length: width }, worker));

  const { onProgress: _p, prompts, ...options } = o;
  const run: CompareRun = {
    startedAt,
    finishedAt: new Date().toISOString(),
    options,
    prompts,
    outcomes,
    plannedCalls: tasks.length,
    spentNanos: spent,
    judgeSpentNanos: judgeSpent,
  };
  if (stopped && o.maxCostNanos !== undefined) {
    run.stopped = {
      reason: 'cost_cap',
      spentNanos: spent,
      capNanos: o.maxCostNanos,
      skippedCalls: tasks.length - next,
    };
  }
  return run;
}
