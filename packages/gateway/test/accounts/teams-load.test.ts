// Teams under load: zero overspend of a team's pooled credits, on SQLite (one instance) and on redis+postgres
// (three replicas), alone, with a key budget tighter than the pool, and with a key that has its own credits.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Accounts, createAccounts } from '../../src/accounts/index.js';
import type { RedisPostgresStore } from '../../src/accounts/store/redis-postgres-store.js';
import { gptCost, okOutcome, plan, prices, request, sleep } from './helpers.js';
import { expectTeamNoOverspend, teamZeroOverspend } from './load-scenarios.js';
import { serversMissing, skipReason, useRealServers } from './real-servers.js';

const BOUND = gptCost(1000, 500);

function scenarios(instances: () => Accounts[]) {
  it('300 concurrent calls from 3 keys on a pool for ~50: the team never goes below zero', async () => {
    const r = await teamZeroOverspend(instances());
    expectTeamNoOverspend(r);
    expect(r.refusedCodes.get('insufficient_credits')).toBeGreaterThan(0);
    expect(r.keyDebits).toBe(0n);
  });

  it('a key budget tighter than the pool holds too', async () => {
    const keyBudget = BOUND * 3n; // well inside the ~17 calls the pool would give this key
    const r = await teamZeroOverspend(instances(), { keyBudget });
    expectTeamNoOverspend(r);
    expect(r.keyUsage[0]!.spentNanos).toBeLessThanOrEqual(keyBudget);
    expect(r.refusedCodes.get('budget_exceeded')).toBeGreaterThan(0);
  });

  it("a key's own credits are spent first, then the pool; neither goes below zero", async () => {
    const keyCredits = BOUND * 10n;
    const r = await teamZeroOverspend(instances(), { keyCredits });
    expectTeamNoOverspend(r);
    const own = r.keyUsage[1]!;
    expect(own.balanceNanos!).toBeGreaterThanOrEqual(0n);
    expect(own.balanceNanos).toBe(keyCredits - r.keyDebits);
    expect(r.keyDebits).toBeGreaterThan(0n);
  });
}

describe('teams on sqlite', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-teams-'));
  let n = 0;
  let current: Accounts[] = [];
  beforeAll(async () => {
    current = [await createAccounts({ store: `sqlite:${path.join(dir, `t${++n}.db`)}`, priceSource: prices })];
  });
  afterAll(async () => {
    await Promise.all(current.map((a) => a.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  scenarios(() => current);
});

const servers = useRealServers();
describe.skipIf(serversMissing.length > 0)(
  `teams on redis+postgres, 3 replicas${skipReason ? ` (${skipReason})` : ''}`,
  () => {
    let replicas: Accounts[] = [];
    beforeAll(async () => {
      const store = await servers.url();
      replicas = await Promise.all([1, 2, 3].map(() => createAccounts({ store, priceSource: prices })));
    });
    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.close()));
    });
    scenarios(() => replicas);

    it('redis restarted empty: the replicas re-register open reservations at the key AND the team', async () => {
      const svc = replicas[0]!.service;
      const team = await svc.createTeam({ name: 'restart', creditsNanos: BOUND * 10n });
      const { secret, key } = await svc.createKey({ name: 'm', teamId: team.id });
      const tickets = await Promise.all(replicas.map((r) => r.admission.admit(request(secret), plan())));
      const store = replicas[0]!.store as RedisPostgresStore;
      await store.redis.flushall();
      // poll (bounded) until the rebuild window has passed and every hold is back at both levels
      const reserved = (id: string) =>
        store.usage(id).then(
          (u) => u.reservedNanos,
          () => -1n,
        );
      let teamHeld = await reserved(team.id);
      for (let i = 0; i < 100 && teamHeld !== BOUND * 3n; i++) {
        await sleep(200);
        teamHeld = await reserved(team.id);
      }
      expect(teamHeld).toBe(BOUND * 3n);
      expect(await reserved(key.id)).toBe(BOUND * 3n);
      for (const t of tickets) t.settle(okOutcome(1000, 100));
      await Promise.all(replicas.map((r) => r.store.flush()));
      const after = await store.usage(team.id);
      expect(after.reservedNanos).toBe(0n);
      expect(after.balanceNanos).toBe(BOUND * 10n - 3n * gptCost(1000, 100));
      expect((await store.verify()).mismatches).toEqual([]);
    }, 60_000);
  },
);
