// Three independent createAccounts() instances on one redis + one postgres: three gateway replicas.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Accounts, createAccounts } from '../../src/accounts/index.js';
import { prices } from './helpers.js';
import {
  concurrencyExact,
  expectNoOverspend,
  rpmAcrossInstances,
  tpmAcrossInstances,
  zeroOverspend,
} from './load-scenarios.js';
import { serversMissing, skipReason, useRealServers } from './real-servers.js';

const servers = useRealServers();
let replicas: Accounts[] = [];

describe.skipIf(serversMissing.length > 0)(`redis+postgres, 3 replicas${skipReason ? ` (${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    const store = await servers.url();
    replicas = await Promise.all([1, 2, 3].map(() => createAccounts({ store, priceSource: prices })));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
  });

  it('zero overspend: 500 concurrent calls over 3 replicas, credits for ~100', async () => {
    expectNoOverspend(await zeroOverspend(replicas));
  });

  it('rpm within 1% across replicas', async () => {
    await rpmAcrossInstances(replicas);
  });

  it('tpm within 1% across replicas', async () => {
    await tpmAcrossInstances(replicas);
  });

  it('concurrency limit exact across replicas', async () => {
    await concurrencyExact(replicas);
  });
});
