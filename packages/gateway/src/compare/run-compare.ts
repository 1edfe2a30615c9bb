// A compare run: prompts × models × runs through a ModelCaller, bounded concurrency, an optional judge, and a cost
// cap. The cap is checked before every call (model or judge), like admission's reservations: each call reserves
// an upper bound of its cost (the caller's price bound, else the largest cost seen for that model); when settled
// spend + reservations in flight + the next reservation would pass the cap, no new call starts, in-flight calls
// finish and count, and the run says it stopped. With price bounds (in-process) the spend never passes the cap.
import { type AssertionResult, checkAll } from './assertions.js';
import { JUDGE_RESPONSE_FORMAT, type JudgeVerdict, judgeMessages, parseVerdict } from './judge.js';
import type { CallRequest, CallResult, ModelCaller } from './model-caller.js';
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
  let started = 0;
  let stopped = false;
  // Without a price bound, the largest cost seen so far per model (0 before the first) stands in for one.
  const maxSeen = new Map<string, bigint>();
  let inflight = 0n;

  // Calls waiting for in-flight reservations to settle (the next one might still fit once they have).
  let waiters: Array<() => void> = [];

  /**
   * Reserves the expected cost of one call. Waits while it only fails to fit because of reservations in flight;
   * refuses (and stops the run) when it cannot fit even with nothing in flight.
   */
  const admit = async (model: string, req: CallRequest): Promise<bigint | undefined> => {
    const expect = (o.maxCostNanos !== undefined ? caller.bound?.(req) : undefined) ?? maxSeen.get(model) ?? 0n;
    for (;;) {
      if (stopped) return undefined;
      if (o.maxCostNanos === undefined || spent + inflight + expect <= o.maxCostNanos) break;
      if (inflight === 0n || spent + expect > o.maxCostNanos) {
        stopped = true;
        return undefined;
      }
      await new Promise<void>((r) => waiters.push(r));
    }
    inflight += expect;
    return expect;
  };
  const settle = (model: string, reserved: bigint, cost: bigint | undefined) => {
    inflight -= reserved;
    if (cost !== undefined) {
      spent += cost;
      if (cost > (maxSeen.get(model) ?? 0n)) maxSeen.set(model, cost);
    }
    const wake = waiters;
    waiters = [];
    for (const w of wake) w();
  };

  /** The call, with its reservation always settled (a caller that broke its never-throw contract included). */
  const callSettled = async (model: string, reserved: bigint, req: CallRequest): Promise<CallResult> => {
    let result: CallResult | undefined;
    try {
      result = await caller.call(req);
      return result;
    } finally {
      settle(model, reserved, result?.costNanos);
    }
  };

  const judgeOnce = async (t: Task, answer: string): Promise<CallOutcome['judge']> => {
    const judge = o.judge as string;
    const req: CallRequest = {
      model: judge,
      messages: judgeMessages(t.prompt, answer, o.rubric),
      params: { temperature: 0, max_tokens: 300, response_format: JUDGE_RESPONSE_FORMAT },
    };
    const reserved = await admit(judge, req);
    if (reserved === undefined) return { reason: 'not judged: cost cap reached' };
    const r = await callSettled(judge, reserved, req);
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
      const t = tasks[next++] as Task; // claimed before any await: no two workers run the same task
      const req: CallRequest = { model: t.model, messages: t.prompt.messages, params: t.prompt.params };
      const reserved = await admit(t.model, req);
      if (reserved === undefined) return;
      started++;
      const spentAtStart = spent;
      const result = await callSettled(t.model, reserved, req);
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
      skippedCalls: tasks.length - started,
    };
  }
  return run;
}
