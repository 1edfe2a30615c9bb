// Per-end-user budgets and RPM of a team under load: on SQLite (one instance) and on redis+postgres (three replicas).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endUserAccount } from '../../src/accounts/end-users.js';
import { type Accounts, createAccounts } from '../../src/accounts/index.js';
import type { RedisPostgresStore } from '../../src/accounts/store/redis-postgres-store.js';
import type { GatewayError } from '../../src/pipeline/seams.js';
import {
  endUserBudgetAttack,
  endUserLimitsToggle,
  endUserRelease,
  endUserRpm,
  expectEndUserBudgetHolds,
} from './end-user-scenarios.js';
import { gptCost, okOutcome, plan, prices, request, sleep } from './helpers.js';
import { serversMissing, skipReason, useRealServers } from './real-servers.js';

function scenarios(instances: () => Accounts[]) {
  it('300 concurrent calls, one greedy end user: its spend stays within its daily budget, others are served', async () => {
    expectEndUserBudgetHolds(await endUserBudgetAttack(instances()));
  }, 60_000);

  it('rpm per end user holds within tolerance; calls without an end user are not limited', async () => {
    await endUserRpm(instances());
  }, 60_000);

  it("an upstream failure returns the end user's reservation", async () => {
    await endUserRelease(instances());
  }, 60_000);

  it('limits switched off and on again count the spend made meanwhile', async () => {
    await endUserLimitsToggle(instances());
  }, 60_000);
}

describe('end-user budgets on sqlite', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-endusers-'));
  let current: Accounts[] = [];
  beforeAll(async () => {
    current = [await createAccounts({ store: `sqlite:${path.join(dir, 'eu.db')}`, priceSource: prices })];
  });
  afterAll(async () => {
    await Promise.all(current.map((a) => a.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  scenarios(() => current);
});

const servers = useRealServers();
describe.skipIf(serversMissing.length > 0)(
  `end-user budgets on redis+postgres, 3 replicas${skipReason ? ` (${skipReason})` : ''}`,
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

    it('every redis key of an end user expires (a tenant naming endless end users cannot fill redis)', async () => {
      const svc = replicas[0]!.service;
      const team = await svc.createTeam({
        name: 'ttl',
        endUserLimits: { budgets: { dailyNanos: 10n ** 12n }, rpm: 1000 },
      });
      const { secret } = await svc.createKey({ name: 'ttl-app', teamId: team.id });
      // the longest id a client may name, with hash-tag braces and the separator in it
      const endUser = 'x{evil}:🙂'.repeat(32).slice(0, 256);
      const t = await replicas[1]!.admission.admit(request(secret, { endUser }), plan());
      const redis = (replicas[0]!.store as RedisPostgresStore).redis;
      const keys = await redis.keys('sy:{eu_*');
      expect(keys.length).toBeGreaterThanOrEqual(4); // acct, day, mon, res, resv, rpm
      for (const k of keys) expect(await redis.pttl(k)).toBeGreaterThan(0);
      t.settle(okOutcome(1000, 10));
      await replicas[1]!.store.flush();
      for (const k of await redis.keys('sy:{eu_*')) expect(await redis.pttl(k)).toBeGreaterThan(0);
    }, 60_000);

    it('redis restarted empty: open reservations come back at the end user too, then settle', async () => {
      const svc = replicas[0]!.service;
      const bound = gptCost(1000, 500);
      const team = await svc.createTeam({ name: 'eu-restart', endUserLimits: { budgets: { totalNanos: bound * 3n } } });
      const { secret } = await svc.createKey({ name: 'm', teamId: team.id });
      const tickets = await Promise.all(
        replicas.map((r) => r.admission.admit(request(secret, { endUser: 'frank' }), plan())),
      );
      const store = replicas[0]!.store as RedisPostgresStore;
      await store.redis.flushall();
      const account = endUserAccount(team.id, team.endUserLimits?.version ?? 0, 'frank');
      const reserved = () =>
        store.usage(account).then(
          (u) => u.reservedNanos,
          () => -1n,
        );
      let held = await reserved();
      for (let i = 0; i < 100 && held !== bound * 3n; i++) {
        await sleep(200);
        held = await reserved();
      }
      expect(held).toBe(bound * 3n);
      // the rebuilt hold still blocks a fourth call of frank (once the rebuild window, which refuses all, is over)
      let code: string | null = 'accounts_unavailable';
      for (let i = 0; i < 100 && code === 'accounts_unavailable'; i++) {
        await sleep(200);
        code = await replicas[0]!.admission.admit(request(secret, { endUser: 'frank' }), plan()).then(
          (t) => {
            t.release();
            return 'admitted';
          },
          (e: GatewayError) => e.code,
        );
      }
      expect(code).toBe('budget_exceeded');
      for (const t of tickets) t.settle(okOutcome(1000, 100));
      await Promise.all(replicas.map((r) => r.store.flush()));
      const after = await store.usage(account);
      expect(after.reservedNanos).toBe(0n);
      expect(after.spentNanos).toBe(3n * gptCost(1000, 100));
    }, 60_000);
  },
);
