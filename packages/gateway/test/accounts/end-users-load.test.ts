// Per-end-user budgets and RPM of a team under load: on SQLite (one instance) and on redis+postgres (three replicas).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Accounts, createAccounts } from '../../src/accounts/index.js';
import { endUserBudgetAttack, endUserRelease, endUserRpm, expectEndUserBudgetHolds } from './end-user-scenarios.js';
import { prices } from './helpers.js';
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
  },
);
