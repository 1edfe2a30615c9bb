// Alert webhook scenarios shared by the sqlite (one instance) and redis+postgres (three replicas) suites.
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import type { Accounts } from '../../src/accounts/index.js';
import { ALERT_EVENTS, type AlertEventType, type WebhookTarget } from '../../src/alerts/alerts-config.js';
import type { AlertsWiring } from '../../src/alerts/index.js';
import { GatewayError } from '../../src/pipeline/seams.js';
import { gptCost, okOutcome, plan, request, sleep } from '../accounts/helpers.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

/** Opens the instances under test (one, or three replicas on one shared store), each with these alerts. */
export type OpenInstances = (alerts: (i: number) => AlertsWiring) => Promise<Accounts[]>;

export const SECRET = 'whsec_switchyard_test_0123456789';
const CALL = gptCost(1000, 500); // 2,000,000 nanos: a call's reservation and its cost

function hook(url: string, over: Partial<WebhookTarget> = {}): WebhookTarget {
  return { url, secret: SECRET, events: new Set(ALERT_EVENTS), thresholds: [50, 80, 100], ...over };
}

function wiring(webhooks: WebhookTarget[], over: Partial<AlertsWiring['options']> = {}, registry?: Registry) {
  return {
    options: {
      webhooks,
      maxAttempts: 6,
      baseDelayMs: 10,
      maxDelayMs: 100,
      timeoutMs: 20_000,
      queueSize: 1_000,
      ...over,
    },
    checkDelayMs: 20,
    ...(registry && { registry }),
  } satisfies AlertsWiring;
}

/** One call on `inst`: admitted and settled at its full cost, or refused (false). */
async function call(inst: Accounts, secret: string, delayMs = 0): Promise<boolean> {
  try {
    const t = await inst.admission.admit(request(secret), plan());
    await sleep(delayMs);
    t.settle(okOutcome(1000, 500));
    return true;
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return false;
  }
}

/** Waits (bounded) until every instance has checked what it settled and emptied its delivery queue. */
async function drained(instances: Accounts[], until: () => boolean = () => true): Promise<void> {
  await Promise.all(instances.map((i) => i.store.flush()));
  for (let i = 0; i < 1200; i++) {
    await Promise.all(instances.map((x) => x.alerts?.idle()));
    if (until() && instances.every((x) => (x.alerts?.pending() ?? 0) === 0)) return;
    await sleep(50);
  }
  throw new Error('alerts did not drain within 60 s');
}

const label = (r: Receiver['received'][number]) => {
  const d = r.event.data as {
    subject: { id: string };
    period_key?: string;
    threshold_percent?: number;
    reason?: string;
  };
  return `${r.event.type}:${d.subject.id}:${d.period_key ?? ''}:${d.threshold_percent ?? d.reason ?? ''}`;
};

async function counter(regs: Registry[], outcome: string, event?: AlertEventType): Promise<number> {
  let n = 0;
  for (const r of regs) {
    const m = await r.getSingleMetric('switchyard_alert_deliveries_total')?.get();
    for (const v of m?.values ?? [])
      if (v.labels.outcome === outcome && (!event || v.labels.event === event)) n += v.value;
  }
  return n;
}

/**
 * A key (daily budget for 20 calls) in a team (total budget for 25), 30 concurrent calls spread over the
 * instances: key 50/80/100 % and key.exhausted, team 50/80 %, each delivered exactly once, signed; a second
 * webhook subscribed to 80 % only gets just those.
 */
async function thresholdsExactlyOnce(open: OpenInstances) {
  const all = await startReceiver(SECRET);
  const only80 = await startReceiver(SECRET);
  const instances = await open(() =>
    wiring([hook(all.url), hook(only80.url, { events: new Set(['budget.threshold']), thresholds: [80] })]),
  );
  try {
    const svc = instances[0]!.service;
    const team = await svc.createTeam({ name: 'ml', budgets: { totalNanos: CALL * 25n } });
    const { key, secret } = await svc.createKey({ name: 'app', teamId: team.id, budgets: { dailyNanos: CALL * 20n } });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(instances[i % instances.length]!, secret, (i * 7) % 30)),
    );
    expect(results.filter(Boolean)).toHaveLength(20);
    await drained(instances, () => all.received.length >= 6 && only80.received.length >= 2);

    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    expect(all.received.map(label).sort()).toEqual(
      [
        `budget.threshold:${key.id}:${day}:50`,
        `budget.threshold:${key.id}:${day}:80`,
        `budget.threshold:${key.id}:${day}:100`,
        `key.exhausted:${key.id}:${day}:budget_daily`,
        `budget.threshold:${team.id}:total:50`,
        `budget.threshold:${team.id}:total:80`,
      ].sort(),
    );
    expect(only80.received.map(label).sort()).toEqual(
      [`budget.threshold:${key.id}:${day}:80`, `budget.threshold:${team.id}:total:80`].sort(),
    );
    for (const r of [...all.received, ...only80.received]) {
      expect(r.signatureOk).toBe(true);
      expect(r.deliveryId).toMatch(/^dlv_[0-9a-f]{32}$/);
      expect(r.event.id).toMatch(/^evt_[0-9a-f]{32}$/);
    }
    // one delivery id per (event, webhook); the same event has the same id at both webhooks
    expect(new Set([...all.received, ...only80.received].map((r) => r.deliveryId)).size).toBe(8);
    const k80 = (rs: Receiver['received']) => rs.find((r) => label(r) === `budget.threshold:${key.id}:${day}:80`);
    expect(k80(all.received)?.event.id).toBe(k80(only80.received)?.event.id);
    expect(k80(all.received)?.event.data).toMatchObject({
      subject: { type: 'key', id: key.id, name: 'app', team_id: team.id },
      period: 'daily',
      threshold_percent: 80,
      spent_usd: expect.any(String),
      budget_usd: '0.04',
    });
  } finally {
    await Promise.all(instances.map((i) => i.close()));
    await Promise.all([all.close(), only80.close()]);
  }
}

/**
 * A team pool of 25 calls, `balance.low` under 10 calls' worth: one `balance.low` and one `team.exhausted`; a
 * top-up starts a new episode, so the next fall below the threshold alerts again.
 */
async function lowBalanceAndExhausted(open: OpenInstances) {
  const rx = await startReceiver(SECRET);
  const instances = await open(() => wiring([hook(rx.url, { lowBalanceNanos: CALL * 10n })]));
  try {
    const svc = instances[0]!.service;
    const team = await svc.createTeam({ name: 'pool', creditsNanos: CALL * 25n });
    const { secret } = await svc.createKey({ name: 'a', teamId: team.id });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(instances[i % instances.length]!, secret)),
    );
    expect(results.filter(Boolean)).toHaveLength(25);
    await drained(instances, () => rx.received.length >= 2);
    expect(
      rx.received.map((r) => `${r.event.type}:${(r.event.data as { reason?: string }).reason ?? ''}`).sort(),
    ).toEqual(['balance.low:', 'team.exhausted:credits']);
    await svc.addTeamCredits(team.id, CALL * 3n, 'top-up', 'alerts-topup-1');
    expect(await call(instances[0]!, secret)).toBe(true);
    await drained(instances, () => rx.received.length >= 3);
    const lows = rx.received.filter((r) => r.event.type === 'balance.low');
    expect(lows).toHaveLength(2);
    expect(lows[0]!.event.id).not.toBe(lows[1]!.event.id);
    expect(lows[1]!.event.data).toMatchObject({ balance_usd: '0.004', threshold_usd: '0.02' });
  } finally {
    await Promise.all(instances.map((i) => i.close()));
    await rx.close();
  }
}

/** The receiver answers 500 twice, then 200: three attempts of one delivery, same id and body, each signed. */
async function retriedAfterTwo500s(open: OpenInstances) {
  const rx = await startReceiver(SECRET, (n) => (n < 2 ? 500 : 200));
  const regs: Registry[] = [];
  const instances = await open(() => {
    const r = new Registry();
    regs.push(r);
    return wiring([hook(rx.url)], {}, r);
  });
  try {
    const { secret } = await instances[0]!.service.createKey({ name: 'r', budgets: { dailyNanos: CALL * 2n } });
    expect(await call(instances[0]!, secret)).toBe(true); // 50 % of the daily budget
    await drained(instances, () => rx.received.length >= 3);
    expect(rx.received).toHaveLength(3);
    expect(new Set(rx.received.map((r) => r.deliveryId)).size).toBe(1);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    expect(rx.received.every((r) => r.signatureOk)).toBe(true);
    expect(await counter(regs, 'retried', 'budget.threshold')).toBe(2);
    expect(await counter(regs, 'delivered', 'budget.threshold')).toBe(1);
    expect(await counter(regs, 'failed')).toBe(0);
  } finally {
    await Promise.all(instances.map((i) => i.close()));
    await rx.close();
  }
}

/**
 * The receiver never answers: calls keep being admitted and settled while deliveries hang, and what does not
 * fit the (tiny) queue is dropped and counted, not waited for.
 */
async function hangingReceiverDoesNotBlock(open: OpenInstances) {
  const rx = await startReceiver(SECRET, () => 'hang');
  const regs: Registry[] = [];
  const instances = await open(() => {
    const r = new Registry();
    regs.push(r);
    return wiring([hook(rx.url)], { queueSize: 1, timeoutMs: 120_000 }, r);
  });
  try {
    const svc = instances[0]!.service;
    const first = await svc.createKey({ name: 'h1', budgets: { dailyNanos: CALL * 2n } });
    expect(await call(instances[0]!, first.secret)).toBe(true);
    for (let i = 0; i < 1200 && rx.hanging() === 0; i++) await sleep(50);
    expect(rx.hanging()).toBe(1);
    // While that delivery hangs: 40 more calls on keys crossing thresholds, all admitted and settled.
    const keys = await Promise.all(
      [1, 2].map((n) => svc.createKey({ name: `h${n + 1}`, budgets: { dailyNanos: CALL * 20n } })),
    );
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => call(instances[i % instances.length]!, keys[i % 2]!.secret)),
    );
    expect(results.every(Boolean)).toBe(true);
    await Promise.all(instances.map((i) => i.store.flush()));
    await Promise.all(instances.map((i) => i.alerts?.idle()));
    expect(await counter(regs, 'dropped')).toBeGreaterThan(0);
    expect(await counter(regs, 'delivered')).toBe(0);
  } finally {
    await Promise.all(instances.map((i) => i.close()));
    await rx.close();
  }
}

/** A refusal for credits exhausts the key even though some balance is left (too little for any call). */
async function refusalExhausts(open: OpenInstances) {
  const rx = await startReceiver(SECRET);
  const instances = await open(() => wiring([hook(rx.url, { events: new Set(['key.exhausted']) })]));
  try {
    const { key, secret } = await instances[0]!.service.createKey({ name: 'x', creditsNanos: (CALL * 5n) / 2n });
    expect(await call(instances[0]!, secret)).toBe(true);
    expect(await call(instances[1 % instances.length]!, secret)).toBe(true);
    await drained(instances);
    expect(rx.received).toHaveLength(0); // half a call's worth left: not exhausted yet
    expect(await call(instances[2 % instances.length]!, secret)).toBe(false);
    expect(await call(instances[0]!, secret)).toBe(false);
    await drained(instances, () => rx.received.length >= 1);
    expect(rx.received).toHaveLength(1);
    expect(rx.received[0]!.event).toMatchObject({
      type: 'key.exhausted',
      data: { subject: { id: key.id }, reason: 'credits', balance_usd: '0.001' },
    });
  } finally {
    await Promise.all(instances.map((i) => i.close()));
    await rx.close();
  }
}

/** Registers every scenario against one store wiring; `across` names the replicas in the titles, if any. */
export function alertScenarios(open: OpenInstances, timeoutMs: number, across = ''): void {
  it(
    `each threshold exactly once${across}, signed; a webhook gets only what it subscribed to`,
    async () => {
      await thresholdsExactlyOnce(open);
    },
    timeoutMs,
  );

  it(
    `balance.low and team.exhausted once per credit episode${across}`,
    async () => {
      await lowBalanceAndExhausted(open);
    },
    timeoutMs,
  );

  it(
    'retried after two 500s with the same delivery id',
    async () => {
      await retriedAfterTwo500s(open);
    },
    timeoutMs,
  );

  it(
    'a hanging receiver does not block calls; a full queue drops and counts',
    async () => {
      await hangingReceiverDoesNotBlock(open);
    },
    timeoutMs,
  );

  it(
    'a refusal for credits exhausts the key while some balance is left',
    async () => {
      await refusalExhausts(open);
    },
    timeoutMs,
  );
}
