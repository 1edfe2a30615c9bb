import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { createAccounts } from '../../src/accounts/index.js';
import { prices } from './helpers.js';
import {
  concurrencyExact,
  expectNoOverspend,
  rpmAcrossInstances,
  tpmAcrossInstances,
  zeroOverspend,
} from './load-scenarios.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open = () => createAccounts({ store: `sqlite:${path.join(dir, `l${++n}.db`)}`, priceSource: prices });

describe('sqlite under load (single instance)', () => {
  it('zero overspend: 500 concurrent streaming + non-streaming calls, credits for ~100', async () => {
    const a = await open();
    expectNoOverspend(await zeroOverspend([a]));
    await a.close();
  });

  it('rpm, tpm within 1%, concurrency exact', async () => {
    const a = await open();
    await rpmAcrossInstances([a]);
    await tpmAcrossInstances([a]);
    await concurrencyExact([a]);
    await a.close();
  });
});
