// The delivery queue alone, against a local receiver: what is retried, what is final, what is dropped.
import { describe, expect, it } from 'vitest';
import type { AlertMetrics, DeliveryOutcome } from '../../src/alerts/alert-metrics.js';
import { type Delivery, WebhookDelivery } from '../../src/alerts/webhook-delivery.js';
import { sleep } from '../accounts/helpers.js';
import { type Behaviour, startReceiver } from './webhook-receiver.js';

const SECRET = 'whsec_delivery_test_0123456789';

function recorder() {
  const outcomes: DeliveryOutcome[] = [];
  const metrics: AlertMetrics = { outcome: (_e, o) => outcomes.push(o), delivered() {}, queueDepth() {} };
  return { outcomes, metrics };
}

const delivery = (url: string, id = 'dlv_1'): Delivery => ({
  id,
  event: 'budget.threshold',
  url,
  secret: SECRET,
  body: JSON.stringify({ id: 'evt_1', type: 'budget.threshold', created_at: new Date().toISOString(), data: {} }),
  createdAt: Date.now(),
});

const policy = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 10_000, queueSize: 10 };

async function until(cond: () => boolean) {
  for (let i = 0; i < 600 && !cond(); i++) await sleep(50);
  expect(cond()).toBe(true);
}

async function run(behaviour: Behaviour, over: Partial<typeof policy> = {}) {
  const rx = await startReceiver(SECRET, behaviour);
  const r = recorder();
  const q = new WebhookDelivery({ ...policy, ...over }, r.metrics);
  return { rx, q, ...r };
}

describe('webhook delivery', () => {
  it('a 4xx other than 429 is final: one attempt, failed', async () => {
    const { rx, q, outcomes } = await run(() => 400);
    q.enqueue(delivery(rx.url));
    await until(() => q.size() === 0);
    expect(rx.received).toHaveLength(1);
    expect(outcomes).toEqual(['failed']);
    await rx.close();
  });

  it('429 and 5xx are retried up to maxAttempts, then failed', async () => {
    const { rx, q, outcomes } = await run((n) => (n === 0 ? 429 : 503));
    q.enqueue(delivery(rx.url));
    await until(() => q.size() === 0);
    expect(rx.received).toHaveLength(3);
    expect(outcomes).toEqual(['retried', 'retried', 'failed']);
    await rx.close();
  });

  it('a receiver that does not answer within timeoutMs is retried like a network error', async () => {
    const { rx, q, outcomes } = await run(() => 'hang', { timeoutMs: 200, maxAttempts: 2 });
    q.enqueue(delivery(rx.url));
    await until(() => q.size() === 0);
    expect(rx.hanging()).toBe(2);
    expect(outcomes).toEqual(['retried', 'failed']);
    await rx.close();
  });

  it('a refused connection is retried, then failed', async () => {
    const rx = await startReceiver(SECRET);
    const url = rx.url;
    await rx.close(); // nothing listens there any more
    const r = recorder();
    const q = new WebhookDelivery(policy, r.metrics);
    q.enqueue(delivery(url));
    await until(() => q.size() === 0);
    expect(r.outcomes).toEqual(['retried', 'retried', 'failed']);
  });

  it('beyond queueSize a delivery is dropped (counted), not queued; close() aborts what is in flight', async () => {
    const { rx, q, outcomes } = await run(() => 'hang', { queueSize: 2 });
    expect(q.enqueue(delivery(rx.url, 'a'))).toBe(true);
    expect(q.enqueue(delivery(rx.url, 'b'))).toBe(true);
    expect(q.enqueue(delivery(rx.url, 'c'))).toBe(false);
    expect(outcomes).toEqual(['dropped']);
    await until(() => rx.hanging() === 2);
    q.close();
    expect(q.enqueue(delivery(rx.url, 'd'))).toBe(false);
    await rx.close();
  });
});
