// A minimal RouteExecutor for embedding without routing/ (whose executor is the default): targets in order; retry a retryable error on
// the same target with jittered backoff (honouring Retry-After); fall back on `fallbackEligible` (or a class in
// `plan.fallbackOn`) while nothing reached the client. Bounded by a hard attempt cap AND the plan's deadline.
import { buildErrorInfo, type ErrorInfo } from '@switchyard/core';
import {
  type Attempt,
  type AttemptContext,
  AttemptError,
  type AttemptLog,
  type GatewayRequest,
  RouteError,
  type RouteExecutor,
  type RoutePlan,
  type RouteResult,
} from './seams.js';

export interface SimpleExecutorOptions {
  /** Absolute cap on attempts per request, whatever the plan says. */
  maxTotalAttempts?: number;
  now?: () => number;
  random?: () => number;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

const deadlineExceeded: ErrorInfo = {
  errorClass: 'timeout',
  retryable: false,
  fallbackEligible: false,
  message: 'request deadline exceeded',
};

/**
 * An attempt's signal as AttemptContext promises: it follows the client (also after success, so a disconnect
 * still tears down a committed stream) and aborts at the deadline while the attempt runs.
 */
function attemptSignal(client: AbortSignal, msLeft: number) {
  const ctl = new AbortController();
  let timedOut = false;
  const follow = () => ctl.abort(client.reason);
  if (client.aborted) follow();
  else client.addEventListener('abort', follow, { once: true });
  const timer = setTimeout(
    () => {
      timedOut = true;
      ctl.abort(new Error('request deadline exceeded'));
    },
    Math.max(1, msLeft),
  );
  return {
    signal: ctl.signal,
    timedOut: () => timedOut,
    succeeded: () => clearTimeout(timer),
    failed() {
      clearTimeout(timer);
      client.removeEventListener('abort', follow);
    },
  };
}

export function backoffMs(policy: RoutePlan['retry'], retryNumber: number, info: ErrorInfo, random: () => number) {
  if (info.retryAfterMs !== undefined) return Math.min(info.retryAfterMs, policy.maxDelayMs);
  const exp = policy.baseDelayMs * 2 ** retryNumber;
  return Math.min(policy.maxDelayMs, exp) * (0.75 + 0.25 * random());
}

export function createSimpleExecutor(options: SimpleExecutorOptions = {}): RouteExecutor {
  const cap = options.maxTotalAttempts ?? 6;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;

  return {
    async execute<T>(plan: RoutePlan, attempt: Attempt<T>, req: GatewayRequest): Promise<RouteResult<T>> {
      const deadline = req.receivedAt + plan.timeouts.totalMs;
      const attempts: AttemptLog[] = [];
      let last: ErrorInfo | undefined;
      let n = 0;
      let waitMs = 0;
      for (const target of plan.targets) {
        const perTarget = Math.max(1, plan.retry.maxAttempts);
        for (let tries = 0; tries < perTarget; tries++) {
          if (n >= cap || now() >= deadline || req.signal.aborted) break;
          n++;
          const kind: AttemptContext['kind'] = n === 1 ? 'primary' : tries > 0 ? 'retry' : 'fallback';
          const started = now();
          const sig = attemptSignal(req.signal, deadline - started);
          try {
            const value = await attempt(target, {
              signal: sig.signal,
              attemptNumber: n,
              kind,
              deadline,
              firstByte() {},
            });
            sig.succeeded();
            attempts.push({ targetId: target.id, kind, outcome: 'ok', durationMs: now() - started });
            return { value, target, attempts, waitMs };
          } catch (err) {
            sig.failed();
            const info = sig.timedOut()
              ? deadlineExceeded
              : err instanceof AttemptError
                ? err.info
                : buildErrorInfo('unknown', `${target.providerId}: attempt failed`);
            const outcome = info.errorClass === 'cancelled' ? 'cancelled' : 'error';
            attempts.push({ targetId: target.id, kind, outcome, error: info, durationMs: now() - started });
            last = info;
            if (err instanceof AttemptError && err.committed) throw new RouteError(info, attempts, waitMs);
            if (info.retryable && tries + 1 < perTarget) {
              const wait = backoffMs(plan.retry, tries, info, random);
              if (now() + wait >= deadline) break;
              const sleptFrom = now();
              await sleep(wait, req.signal);
              waitMs += now() - sleptFrom;
              continue;
            }
            if (info.fallbackEligible || plan.fallbackOn.includes(info.errorClass)) break;
            throw new RouteError(info, attempts, waitMs);
          }
        }
      }
      if (req.signal.aborted) {
        throw new RouteError(buildErrorInfo('cancelled', 'client disconnected'), attempts, waitMs);
      }
      const info = last ?? buildErrorInfo('timeout', 'route deadline exceeded before any attempt');
      throw new RouteError(info, attempts, waitMs);
    },
    report() {},
  };
}
