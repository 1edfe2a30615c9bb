// Alert webhooks with three replicas (independent createAccounts()) on one redis + one postgres.
import { describe } from 'vitest';
import { createAccounts } from '../../src/accounts/index.js';
import { prices } from '../accounts/helpers.js';
import { serversMissing, skipReason, useRealServers } from '../accounts/real-servers.js';
import { alertScenarios, type OpenInstances } from './alert-scenarios.js';

const servers = useRealServers();
const open: OpenInstances = async (alerts) => {
  const store = await servers.url();
  return Promise.all([0, 1, 2].map((i) => createAccounts({ store, priceSource: prices, alerts: alerts(i) })));
};

describe.skipIf(serversMissing.length > 0)(
  `alert webhooks, redis+postgres, 3 replicas${skipReason ? ` (${skipReason})` : ''}`,
  () => alertScenarios(open, 90_000, ' across replicas'),
);
