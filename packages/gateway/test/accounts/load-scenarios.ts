// Load scenarios shared by the sqlite and redis+postgres suites: zero overspend under concurrency, limits
// across instances. `instances` are independent createAccounts() results sharing one store (gateway replicas).
import { expect } from 'vitest';
import type { Accounts } from '../../src/accounts/index.js';
import type { AdmissionTicket } from '../../src/pipeline/seams.js';
import { GatewayError } from '../../src/pipeline/seams.js';
import { seededRandom as rng } from '../../src/routing/testing/seeded-random.js';
import { gptCost, okOutcome, plan, request, sleep } from './helpers.js';

const MAX_RESERVATION = gptCost(1000, 500); // 2,000,000 nanos per request

export async function zeroOverspend(instances: Accounts[], requests = 500) {
  const credits = MAX_RESERVATION * 100n; // covers ~100 requests at their upper bound
  const { key, secret } = await instances[0]!.service.createKey({ name: 'overspend', creditsNanos: credits });
  const rand = rng(42);
  const plans = Array.from({ length: requests }, (_, i) => ({
    inst: instances[i % instances.length]!,
    stream: i % 2 === 0,
    out: rand() < 0.1 ? 500 : Math.floor(rand() * 500),
    kind: rand() < 0.05 ? 'fail' : rand() < 0.05 ? 'interrupted' : 'ok',
    delay: Math.floor(rand() * 25),
  }));
  let admitted = 0;
  let refused = 0;
  await Promise.all(
    plans.map(async (p) => {
      let t: AdmissionTicket;
      try {
        t = await p.inst.admission.admit(request(secret, { stream: p.stream }), plan());
      } catch (err) {
        expect(err).toBeInstanceOf(GatewayError);
        expect((err as GatewayError).code).toBe('insufficient_credits');
        refused++;
        return;
      }
      admitted++;
      await sleep(p.stream ? p.delay : p.delay / 5);
      if (p.kind === 'fail') t.settle({ ok: false, records: [] });
      else if (p.kind === 'interrupted') t.settle({ ...okOutcome(1000, Math.floor(p.out / 2)), ok: false });
      else t.settle(okOutcome(1000, p.out));
    }),
  );
  await Promise.all(instances.map((i) => i.store.flush()));
  const store = instances[0]!.store;
  const usage = await store.usage(key.id, Date.now());
  const spent = (await store.spend({ groupBy: 'key' })).find((r) => r.group === key.id)?.costNanos ?? 0n;
  const verify = await store.verify();
  return { admitted, refused, credits, usage, spent, verify };
}

export function expectNoOverspend(r: Awaited<ReturnType<typeof zeroOverspend>>) {
  expect(r.admitted + r.refused).toBe(500);
  expect(r.admitted).toBeGreaterThanOrEqual(100); // actual costs are below the bound, so more than 100 fit
  expect(r.refused).toBeGreaterThan(0);
  expect(r.usage.balanceNanos).not.toBeNull();
  expect(r.usage.balanceNanos!).toBeGreaterThanOrEqual(0n);
  expect(r.usage.reservedNanos).toBe(0n);
  expect(r.usage.balanceNanos).toBe(r.credits - r.spent); // exactly, to the nano
  expect(r.verify.mismatches).toEqual([]);
}

/** Fire `total` admissions round-robin over the instances; `hold` keeps the tickets open (concurrency). */
export async function burst(instances: Accounts[], secret: string, total: number, hold = false) {
  const started = Date.now();
  const tickets: AdmissionTicket[] = [];
  const refusedCodes = new Set<string>();
  let admitted = 0;
  await Promise.all(
    Array.from({ length: total }, async (_, i) => {
      try {
        const t = await instances[i % instances.length]!.admission.admit(request(secret), plan());
        admitted++;
        if (hold) tickets.push(t);
        else t.release();
      } catch (err) {
        refusedCodes.add((err as GatewayError).code ?? '');
      }
    }),
  );
  return { admitted, tickets, refusedCodes, elapsedMs: Date.now() - started };
}

/**
 * RPM across instances: the bucket holds `rpm` and refills rpm/60s, so over a burst of `elapsed` ms the exact
 * allowance is rpm + rpm·elapsed/60000. Admitted must be within 1% of it (and never above it, +1 for rounding).
 */
export async function rpmAcrossInstances(instances: Accounts[]) {
  const rpm = 600;
  const { secret } = await instances[0]!.service.createKey({ name: 'rpm', rpm });
  const r = await burst(instances, secret, 900);
  const allowance = rpm + (rpm * r.elapsedMs) / 60_000;
  expect(r.refusedCodes).toEqual(new Set(['rate_limit_exceeded']));
  expect(r.admitted).toBeLessThanOrEqual(Math.floor(allowance) + 1);
  expect(r.admitted).toBeGreaterThanOrEqual(Math.floor(rpm * 0.99));
  return r;
}

/** TPM: each request estimates 1000 in + 500 out = 1500 tokens against the bucket. */
export async function tpmAcrossInstances(instances: Accounts[]) {
  const tpm = 600_000; // 400 requests' worth
  const { secret } = await instances[0]!.service.createKey({ name: 'tpm', tpm });
  // hold the tickets: a release gives the unused estimate back to the bucket (as it should)
  const r = await burst(instances, secret, 600, true);
  const allowance = (tpm + (tpm * r.elapsedMs) / 60_000) / 1500;
  for (const t of r.tickets) t.release();
  expect(r.admitted).toBeLessThanOrEqual(Math.floor(allowance) + 1);
  expect(r.admitted).toBeGreaterThanOrEqual(Math.floor(400 * 0.99));
  return r;
}

export async function concurrencyExact(instances: Accounts[]) {
  const { secret } = await instances[0]!.service.createKey({ name: 'conc', maxConcurrency: 7 });
  const r = await burst(instances, secret, 60, true);
  expect(r.admitted).toBe(7);
  expect(r.refusedCodes).toEqual(new Set(['rate_limit_exceeded']));
  r.tickets[0]!.release();
  r.tickets[1]!.settle(okOutcome(10, 10));
  await Promise.all(instances.map((i) => i.store.flush())); // waits for the in-flight release and settle
  const again = await burst(instances, secret, 30, true);
  expect(again.admitted).toBe(2);
  for (const t of [...r.tickets, ...again.tickets]) t.release();
}
