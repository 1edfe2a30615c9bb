// Shadow traffic: a route's `shadow: { target, sampleRate, maxUsdPerDay }` mirrors a sample of its chat requests
// to a candidate. Decided when the primary is committed; the shadow call starts on the next turn of the event loop
// (the primary's response is on its way), non-streaming, one attempt (no retry, no fallback, no breaker or
// latency feedback into live routing). Its cost goes to the operator's shadow account (ShadowBudget), never to the
// client's key; the client's response, latency and bill are untouched, and a shadow failure is only recorded.

import { usdToNanos } from '@switchyard/core';
import { inputTokenBound } from '../../accounts/input-bound.js';
import type { CallMeta } from '../../pipeline/call-meta.js';
import { chatAttempt } from '../../pipeline/chat-attempt.js';
import type { PipelineDeps, PipelineLogger, ShadowHook, ShadowTap } from '../../pipeline/pipeline-types.js';
import type { GatewayRequest, RoutePlan } from '../../pipeline/seams.js';
import type { ChatCompletionRequest } from '../../providers/openai-chat-types.js';
import { priceOfFromSource } from '../../routing/price-of.js';
import { similarity } from '../similarity.js';
import { ShadowBudget } from './shadow-budget.js';
import { ShadowLog, type SideFigures } from './shadow-log.js';
import type { ShadowMetrics } from './shadow-metrics.js';
import { completionText, tapStream } from './shadow-stream-tap.js';

/** Defaults as data. */
export const SHADOW_DEFAULTS = { maxConcurrent: 8, maxOutputTokens: 1_024 } as const;

export interface ShadowMirrorOptions {
  metrics?: ShadowMetrics;
  log?: ShadowLog;
  now?: () => number;
  /** [0, 1): injected for tests. */
  random?: () => number;
  logger?: PipelineLogger;
}

export interface ShadowMirror extends ShadowHook {
  readonly budget: ShadowBudget;
  readonly log: ShadowLog;
  /** Sampled requests not mirrored, by `route reason`. */
  readonly drops: ReadonlyMap<string, number>;
  inFlight(): number;
  /** Resolves once every started shadow call and pair record is done (tests, shutdown). */
  idle(): Promise<void>;
  /** Aborts running shadow calls (gateway shutdown). */
  close(): void;
}

interface Primary {
  ok: boolean;
  text: string;
  meta: CallMeta;
}

function figures(target: string, meta: CallMeta | undefined, ok: boolean, now: number): SideFigures {
  const f: SideFigures = { target, ok, latencyMs: meta ? (meta.endMs ?? now - meta.startTime) : 0 };
  if (meta?.firstTokenMs !== undefined) f.ttftMs = meta.firstTokenMs;
  if (meta?.usage) {
    f.inputTokens = meta.usage.inputTokens;
    f.outputTokens = meta.usage.outputTokens;
  }
  if (meta?.cost) f.costNanos = meta.cost.totalNanos;
  if (meta?.error) f.error = meta.error.message;
  return f;
}

export function createShadowMirror(opts: ShadowMirrorOptions = {}): ShadowMirror {
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const budget = new ShadowBudget(now);
  const log = opts.log ?? new ShadowLog();
  const m = opts.metrics;
  const perRoute = new Map<string, number>();
  const drops = new Map<string, number>();
  const pending = new Set<Promise<unknown>>();
  const controllers = new Set<AbortController>();
  let running = 0;

  const drop = (route: string, reason: string) => {
    drops.set(`${route} ${reason}`, (drops.get(`${route} ${reason}`) ?? 0) + 1);
    m?.dropped.inc({ route, reason });
  };
  const track = <T>(p: Promise<T>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
    return p;
  };

  async function callShadow(
    targetRef: string,
    plan: RoutePlan,
    body: ChatCompletionRequest,
    sreq: GatewayRequest,
    controller: AbortController,
    deps: PipelineDeps,
  ): Promise<{ figures: SideFigures; text: string }> {
    // After the primary's response is on its way: never inside the client's turn.
    await new Promise((r) => setImmediate(r));
    const target = plan.targets[0];
    let failed: CallMeta | undefined;
    const timer = setTimeout(() => controller.abort(), plan.timeouts.totalMs);
    timer.unref();
    try {
      if (!target) throw new Error('no target');
      const attempt = chatAttempt(body, sreq, plan, deps, {
        output: 'chunks',
        clientWantsUsage: false,
        clientHeaders: {},
        onFailed: (meta) => {
          failed = meta;
        },
      });
      const value = await attempt(target, {
        signal: controller.signal,
        attemptNumber: 1,
        kind: 'primary',
        deadline: now() + plan.timeouts.totalMs,
        firstByte() {},
      });
      if (value.kind !== 'json') throw new Error('shadow call unexpectedly streamed');
      return { figures: figures(targetRef, value.meta, true, now()), text: completionText(value.completion) };
    } catch (err) {
      const f = figures(targetRef, failed, false, now());
      f.error ??= err instanceof Error ? err.message : 'failed';
      return { figures: f, text: '' };
    } finally {
      clearTimeout(timer);
    }
  }

  function record(
    route: string,
    requestId: string,
    streamed: boolean,
    primary: Primary,
    shadow: { figures: SideFigures; text: string },
  ) {
    const p = figures(primary.meta.target.id, primary.meta, primary.ok, now());
    const sim = primary.ok && shadow.figures.ok ? similarity(primary.text, shadow.text) : undefined;
    log.add({
      at: now(),
      route,
      requestId,
      streamed,
      primary: p,
      shadow: shadow.figures,
      ...(sim && { similarity: sim }),
    });
    if (!m) return;
    const target = shadow.figures.target;
    m.duration.observe({ route, role: 'primary' }, p.latencyMs / 1000);
    m.duration.observe({ route, role: 'shadow' }, shadow.figures.latencyMs / 1000);
    for (const [role, f] of [
      ['primary', p],
      ['shadow', shadow.figures],
    ] as const) {
      if (f.inputTokens) m.tokens.inc({ route, role, direction: 'input' }, f.inputTokens);
      if (f.outputTokens) m.tokens.inc({ route, role, direction: 'output' }, f.outputTokens);
    }
    if (sim) m.similarity.observe({ route, target, kind: sim.kind }, sim.score);
  }

  const mirror: ShadowMirror = {
    budget,
    log,
    drops,
    inFlight: () => running,
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close() {
      for (const c of controllers) c.abort();
    },
    begin(plan, body, req, deps): ShadowTap | undefined {
      try {
        const cfg = deps.config.routes[plan.name]?.shadow;
        if (!cfg || !(random() < cfg.sampleRate)) return undefined;
        const route = plan.name;
        if ((perRoute.get(route) ?? 0) >= (cfg.maxConcurrent ?? SHADOW_DEFAULTS.maxConcurrent)) {
          drop(route, 'saturated');
          return undefined;
        }
        let splan: RoutePlan;
        try {
          splan = deps.resolvePlan(cfg.target);
        } catch {
          drop(route, 'no_target');
          return undefined;
        }
        const target = splan.targets[0];
        if (!target) return undefined;
        const clientMax = body.max_completion_tokens ?? body.max_tokens ?? undefined;
        const maxOut = clientMax ?? cfg.maxOutputTokens ?? SHADOW_DEFAULTS.maxOutputTokens;
        const sbody: ChatCompletionRequest = { ...body, stream: false };
        delete sbody.stream_options;
        // Without a client cap, the shadow call gets one so its cost has a bound the budget can reserve.
        if (clientMax == null) {
          if (target.kind === 'openai') sbody.max_completion_tokens = maxOut;
          else sbody.max_tokens = maxOut;
        }
        const controller = new AbortController();
        const sreq: GatewayRequest = {
          requestId: `shadow-${req.requestId}`,
          callId: `shadow-${req.callId}`,
          endpoint: 'chat',
          model: cfg.target,
          stream: false,
          // The body's own size bounds its input tokens even when the request had no content-length.
          estimatedInputTokens: Math.max(req.estimatedInputTokens, inputTokenBound(sbody)),
          maxOutputTokens: maxOut,
          signal: controller.signal,
          receivedAt: now(),
        };
        const bound = priceOfFromSource(deps.priceSource)(target, sreq);
        if (bound === undefined) {
          drop(route, 'unknown_price');
          return undefined;
        }
        if (!budget.reserve(route, bound, usdToNanos(cfg.maxUsdPerDay))) {
          drop(route, 'budget');
          return undefined;
        }
        running++;
        perRoute.set(route, (perRoute.get(route) ?? 0) + 1);
        controllers.add(controller);
        m?.inFlight.inc();
        const shadowDone = track(
          callShadow(cfg.target, splan, sbody, sreq, controller, deps).then((s) => {
            budget.settle(route, bound, s.figures.costNanos);
            running--;
            perRoute.set(route, (perRoute.get(route) ?? 1) - 1);
            controllers.delete(controller);
            if (m) {
              m.inFlight.dec();
              m.requests.inc({ route, target: cfg.target, outcome: s.figures.ok ? 'ok' : 'error' });
              if (s.figures.costNanos) m.cost.inc({ route, target: cfg.target }, Number(s.figures.costNanos) / 1e9);
              const today = budget.view().find((b) => b.route === route);
              if (today) m.budgetSpent.set({ route }, Number(today.spentNanos) / 1e9);
            }
            return s;
          }),
        );
        let primaryDone!: (p: Primary) => void;
        const primary = new Promise<Primary>((r) => {
          primaryDone = r;
        });
        // Recorded once both sides are known; a primary stream that is never consumed simply records nothing.
        void Promise.all([primary, shadowDone])
          .then(([p, s]) => record(route, req.requestId, req.stream, p, s))
          .catch((err) => opts.logger?.warn({ err, route }, 'shadow record failed'));
        return {
          json(completion, meta) {
            primaryDone({ ok: true, text: completionText(completion), meta });
          },
          stream(value) {
            const tail = tapStream(value.head, value.tail, (ok, text) => primaryDone({ ok, text, meta: value.meta }));
            return { ...value, tail };
          },
        };
      } catch (err) {
        opts.logger?.warn({ err, route: plan.name }, 'shadow: not mirrored after an unexpected error');
        return undefined;
      }
    },
  };
  return mirror;
}
