// Per-end-user budgets and RPM under load, shared by the sqlite and redis+postgres suites. `instances` are
// independent createAccounts() results on one store (gateway replicas); calls go round-robin over them.
import { expect } from 'vitest';
import type { Accounts } from '../../src/accounts/index.js';
import type { AdmissionTicket } from '../../src/pipeline/seams.js';
import { GatewayError } from '../../src/pipeline/seams.js';
import { seededRandom as rng } from '../../src/routing/testing/seeded-random.js';
import { gptCost, okOutcome, plan, request, sleep } from './helpers.js';

const BOUND = gptCost(1000, 500); // each call reserves this much

/**
 * The attack: one end user ("greedy") of a team fires most of 300 concurrent calls over the replicas against a daily
 * end-user budget worth ~`calls` calls at their bound; six other end users make 8 calls each and 12 calls name no
 * end user. The team's pool is large: only the end-user level can stop greedy.
 */
export async function endUserBudgetAttack(instances: Accounts[], calls = 10) {
  const svc = instances[0]!.service;
  const daily = BOUND * BigInt(calls);
  const team = await svc.createTeam({
    name: 'tenant',
    creditsNanos: BOUND * 1000n,
    endUserLimits: { budgets: { dailyNanos: daily } },
  });
  const keys = await Promise.all([0, 1, 2].map((i) => svc.createKey({ name: `app-${i}`, teamId: team.id })));
  const others = Array.from({ length: 6 }, (_, i) => `other-${i}`);
  const who = (i: number): string | undefined =>
    i % 25 === 0 ? undefined : i % 25 <= 6 && i < 200 ? others[(i % 25) - 1] : 'greedy';
  const rand = rng(11);
  const admitted = new Map<string, number>();
  const refused = new Map<string, string[]>();
  await Promise.all(
    Array.from({ length: 300 }, async (_, i) => {
      const user = who(i);
      const name = user ?? '(none)';
      let t: AdmissionTicket;
      try {
        const req = request(keys[i % 3]!.secret, user !== undefined ? { endUser: user } : {});
        t = await instances[i % instances.length]!.admission.admit(req, plan());
      } catch (err) {
        expect(err).toBeInstanceOf(GatewayError);
        refused.set(name, [...(refused.get(name) ?? []), (err as GatewayError).message]);
        return;
      }
      admitted.set(name, (admitted.get(name) ?? 0) + 1);
      await sleep(Math.floor(rand() * 20));
      // mostly the full bound, so the budget is the binding limit; some upstream failures release everything
      const r = rand();
      if (r < 0.1) t.settle({ ok: false, records: [] });
      else t.settle(okOutcome(1000, r < 0.7 ? 500 : Math.floor(rand() * 500)));
    }),
  );
  await Promise.all(instances.map((x) => x.store.flush()));
  const store = instances[0]!.store;
  const ledger = (await store.teamLedger(team.id, 0, Number.MAX_SAFE_INTEGER)).filter((r) => r.kind === 'call');
  const spentBy = (u: string | undefined) =>
    ledger.filter((r) => r.endUser === u).reduce((s, r) => s + r.costNanos, 0n);
  return { team, daily, admitted, refused, ledger, spentBy, others, verify: await store.verify() };
}

export function expectEndUserBudgetHolds(r: Awaited<ReturnType<typeof endUserBudgetAttack>>) {
  // greedy never spends more than its budget, to the nano, across every replica
  expect(r.spentBy('greedy')).toBeLessThanOrEqual(r.daily);
  expect(r.spentBy('greedy')).toBeGreaterThan(0n);
  expect(r.admitted.get('greedy')).toBeGreaterThanOrEqual(10);
  const greedyRefusals = r.refused.get('greedy') ?? [];
  expect(greedyRefusals.length).toBeGreaterThan(100);
  expect(new Set(greedyRefusals)).toEqual(new Set(['Daily budget exceeded for this end user.']));
  // the others of the same team are all served; a call without an end user is not subject to end-user budgets
  for (const u of r.others) expect(r.admitted.get(u)).toBe(8);
  expect(r.admitted.get('(none)')).toBe(12);
  for (const u of [...r.others, '(none)']) expect(r.refused.get(u)).toBeUndefined();
  expect(r.verify.mismatches).toEqual([]);
}

/** RPM per end user across replicas: each end user's bucket is its own; both stay within the allowance. */
export async function endUserRpm(instances: Accounts[]) {
  const rpm = 120;
  const svc = instances[0]!.service;
  const team = await svc.createTeam({ name: 'rpm-tenant', endUserLimits: { budgets: {}, rpm } });
  const { secret } = await svc.createKey({ name: 'rpm-app', teamId: team.id });
  const started = Date.now();
  const admitted = new Map<string, number>();
  const codes = new Set<string>();
  let anonymous = 0;
  await Promise.all(
    Array.from({ length: 450 }, async (_, i) => {
      const user = i % 3 === 0 ? 'alice' : i % 3 === 1 ? 'bob' : undefined;
      try {
        const t = await instances[i % instances.length]!.admission.admit(
          request(secret, user ? { endUser: user } : {}),
          plan(),
        );
        if (user) admitted.set(user, (admitted.get(user) ?? 0) + 1);
        else anonymous++;
        t.release();
      } catch (err) {
        codes.add((err as GatewayError).code ?? '');
      }
    }),
  );
  const allowance = rpm + (rpm * (Date.now() - started)) / 60_000;
  expect(codes).toEqual(new Set(['rate_limit_exceeded']));
  for (const u of ['alice', 'bob']) {
    expect(admitted.get(u)).toBeLessThanOrEqual(Math.floor(allowance) + 1);
    expect(admitted.get(u)).toBeGreaterThanOrEqual(Math.floor(rpm * 0.99));
  }
  expect(anonymous).toBe(150);
}

/** An upstream failure releases the end user's hold: the budget frees up at once and nothing is charged. */
export async function endUserRelease(instances: Accounts[]) {
  const svc = instances[0]!.service;
  const team = await svc.createTeam({ name: 'release', endUserLimits: { budgets: { totalNanos: BOUND * 2n } } });
  const { secret } = await svc.createKey({ name: 'release-app', teamId: team.id });
  const admit = (i: number) =>
    instances[i % instances.length]!.admission.admit(request(secret, { endUser: 'carol' }), plan());
  const a = await admit(0);
  const b = await admit(1);
  await expect(admit(2)).rejects.toMatchObject({ status: 429, code: 'budget_exceeded' });
  a.settle({ ok: false, records: [] }); // failed upstream, no usage: release
  b.release();
  await Promise.all(instances.map((x) => x.store.flush()));
  const c = await admit(2);
  const d = await admit(0);
  c.settle(okOutcome(1000, 500));
  d.release();
  await Promise.all(instances.map((x) => x.store.flush()));
  const page = await svc.endUsers(team.id, { limit: 10 });
  expect(page?.data).toEqual([
    { endUser: 'carol', reservedNanos: 0n, spentNanos: BOUND, spentDayNanos: BOUND, spentMonthNanos: BOUND },
  ]);
}

/**
 * Limits switched off and on again: spend made while they were off (untracked at the end-user level) still counts
 * when they come back, as does a listing taken meanwhile. The end user has spent 4 bounds; a total budget of 5 lets
 * exactly one more call in.
 */
export async function endUserLimitsToggle(instances: Accounts[]) {
  const svc = instances[0]!.service;
  const team = await svc.createTeam({ name: 'toggle', endUserLimits: { budgets: { totalNanos: BOUND * 2n } } });
  const { secret } = await svc.createKey({ name: 'toggle-app', teamId: team.id });
  const call = async (i: number) =>
    (await instances[i % instances.length]!.admission.admit(request(secret, { endUser: 'gina' }), plan())).settle(
      okOutcome(1000, 500),
    );
  await call(0);
  await svc.updateTeam(team.id, { endUserLimits: undefined });
  await Promise.all(instances.map((x) => x.store.flush()));
  expect((await svc.endUsers(team.id, { limit: 5 }))?.data[0]?.endUser).toBe('gina');
  for (let i = 1; i <= 3; i++) await call(i);
  await Promise.all(instances.map((x) => x.store.flush()));
  await svc.updateTeam(team.id, { endUserLimits: { budgets: { totalNanos: BOUND * 5n } } });
  await sleep(1100); // every replica's cached team record (keyCacheMs) has the new limits
  const tickets: AdmissionTicket[] = [];
  const codes: string[] = [];
  for (let i = 0; i < 4; i++) {
    await instances[i % instances.length]!.admission.admit(request(secret, { endUser: 'gina' }), plan()).then(
      (t) => tickets.push(t),
      (e: GatewayError) => codes.push(e.code ?? ''),
    );
  }
  for (const t of tickets) t.release();
  expect(tickets).toHaveLength(1);
  expect(codes).toEqual(['budget_exceeded', 'budget_exceeded', 'budget_exceeded']);
}
