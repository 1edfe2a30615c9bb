// Alert webhooks on the embedded store (one instance).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe } from 'vitest';
import { createAccounts } from '../../src/accounts/index.js';
import { prices } from '../accounts/helpers.js';
import { alertScenarios, type OpenInstances } from './alert-scenarios.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-alerts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open: OpenInstances = async (alerts) => [
  await createAccounts({ store: `sqlite:${path.join(dir, `a${++n}.db`)}`, priceSource: prices, alerts: alerts(0) }),
];

describe('alert webhooks on sqlite', () => alertScenarios(open, 60_000));
