// Alert webhooks with three replicas (independent createAccounts()) on one redis + one postgres.
import { describe, it } from 'vitest';
import { createAccounts } from '../../src/accounts/index.js';
import { prices } from '../accounts/helpers.js';
import { serversMissing, skipReason, useRealServers } from '../accounts/real-servers.js';
import {
  hangingReceiverDoesNotBlock,
  lowBalanceAndExhausted,
  type OpenInstances,
  refusalExhausts,
  retriedAfterTwo500s,
  thresholdsExactlyOnce,
} from './alert-scenarios.js';

const servers = useRealServers();
const open: OpenInstances = async (alerts) => {
  const store = await servers.url();
  return Promise.all([0, 1, 2].map((i) => createAccounts({ store, priceSource: prices, alerts: alerts(i) })));
};

describe.skipIf(serversMissing.length > 0)(
  `alert webhooks, redis+postgres, 3 replicas${skipReason ? ` (${skipReason})` : ''}`,
  () => {
    it('each threshold exactly once across replicas, signed', async () => {
      await thresholdsExactlyOnce(open);
    }, 90_000);

    it('balance.low and team.exhausted once per credit episode across replicas', async () => {
      await lowBalanceAndExhausted(open);
    }, 90_000);

    it('retried after two 500s with the same delivery id', async () => {
      await retriedAfterTwo500s(open);
    }, 90_000);

    it('a hanging receiver does not block calls; a full queue drops and counts', async () => {
      await hangingReceiverDoesNotBlock(open);
    }, 90_000);

    it('a refusal for credits exhausts the key while some balance is left', async () => {
      await refusalExhausts(open);
    }, 90_000);
  },
);
