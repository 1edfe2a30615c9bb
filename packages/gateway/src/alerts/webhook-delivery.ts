// Background delivery of signed alert webhooks: a bounded queue, a few concurrent POSTs, retries with exponential
// backoff and full jitter on network errors, 5xx and 429. Nothing here is awaited by a request.
import type { AlertMetrics } from './alert-metrics.js';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';

export interface Delivery {
  /** stable: the same on every attempt (and on every replica) */
  id: string;
  event: string;
  url: string;
  secret: string;
  /** the JSON body, fixed at enqueue so every attempt sends the same bytes */
  body: string;
  /** epoch ms of the crossing's claim */
  createdAt: number;
}

export interface DeliveryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  queueSize: number;
  /** concurrent POSTs; default 4 */
  concurrency?: number;
}

export interface DeliveryLog {
  warn(obj: object, msg: string): void;
}

type Job = Delivery & { attempt: number };

/** Retry these; any other status (a 4xx the receiver chose) is final. */
const retryableStatus = (s: number) => s === 429 || s >= 500;

/** Full jitter: uniform in [0, min(max, base·2^(attempt-1))] (AWS architecture blog, "Exponential Backoff"). */
export function backoffMs(attempt: number, base: number, max: number, rand: () => number = Math.random): number {
  return Math.floor(rand() * Math.min(max, base * 2 ** (attempt - 1)));
}

export class WebhookDelivery {
  private readonly ready: Job[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private pending = 0;
  private running = 0;
  private closed = false;

  constructor(
    private readonly policy: DeliveryPolicy,
    private readonly metrics: AlertMetrics,
    private readonly log?: DeliveryLog,
  ) {}

  /** Queues a delivery; false (counted as dropped) when the queue is full or closed. Never throws. */
  enqueue(d: Delivery): boolean {
    if (this.closed || this.pending >= this.policy.queueSize) {
      this.metrics.outcome(d.event, 'dropped');
      this.log?.warn({ deliveryId: d.id, event: d.event }, 'alert delivery dropped: queue full');
      return false;
    }
    this.pending++;
    this.metrics.queueDepth(this.pending);
    this.ready.push({ ...d, attempt: 1 });
    this.pump();
    return true;
  }

  /** Deliveries queued, in flight or waiting to retry. */
  size(): number {
    return this.pending;
  }

  /** Stops retries and aborts POSTs in flight; what is left is lost (the claim stays: no duplicate later). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const a of this.aborts) a.abort();
    this.ready.length = 0;
  }

  private pump(): void {
    const max = this.policy.concurrency ?? 4;
    while (!this.closed && this.running < max && this.ready.length > 0) {
      const job = this.ready.shift() as Job;
      this.running++;
      void this.attempt(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private finish(job: Job, outcome: 'delivered' | 'failed'): void {
    this.pending--;
    this.metrics.queueDepth(this.pending);
    this.metrics.outcome(job.event, outcome);
    if (outcome === 'delivered') this.metrics.delivered(job.event, (Date.now() - job.createdAt) / 1000);
  }

  private async attempt(job: Job): Promise<void> {
    const status = await this.post(job);
    if (this.closed) return;
    if (status !== undefined && status >= 200 && status < 300) return this.finish(job, 'delivered');
    const retry = status === undefined || retryableStatus(status);
    if (!retry || job.attempt >= this.policy.maxAttempts) {
      // The URL may carry a token in its query: log the delivery id, never the URL or the secret.
      this.log?.warn({ deliveryId: job.id, event: job.event, status, attempts: job.attempt }, 'alert delivery failed');
      return this.finish(job, 'failed');
    }
    this.metrics.outcome(job.event, 'retried');
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.ready.push({ ...job, attempt: job.attempt + 1 });
        this.pump();
      },
      backoffMs(job.attempt, this.policy.baseDelayMs, this.policy.maxDelayMs),
    );
    timer.unref();
    this.timers.add(timer);
  }

  /** The response status, or undefined on a network error or timeout. */
  private async post(job: Job): Promise<number | undefined> {
    const abort = new AbortController();
    this.aborts.add(abort);
    const timer = setTimeout(() => abort.abort(), this.policy.timeoutMs);
    try {
      const res = await fetch(job.url, {
        method: 'POST',
        redirect: 'manual',
        signal: abort.signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'switchyard-webhooks/1',
          // Signed per attempt (fresh timestamp), over the same body.
          [SIGNATURE_HEADER]: signatureHeader(job.secret, job.body, Math.floor(Date.now() / 1000)),
          [DELIVERY_ID_HEADER]: job.id,
        },
        body: job.body,
      });
      await res.body?.cancel().catch(() => {});
      return res.status;
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
  }
}
