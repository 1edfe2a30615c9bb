// Alert webhooks on the embedded store (one instance).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { createAccounts } from '../../src/accounts/index.js';
import { prices } from '../accounts/helpers.js';
import {
  hangingReceiverDoesNotBlock,
  lowBalanceAndExhausted,
  type OpenInstances,
  refusalExhausts,
  retriedAfterTwo500s,
  thresholdsExactlyOnce,
} from './alert-scenarios.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-alerts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open: OpenInstances = async (alerts) => [
  await createAccounts({ store: `sqlite:${path.join(dir, `a${++n}.db`)}`, priceSource: prices, alerts: alerts(0) }),
];

describe('alert webhooks on sqlite', () => {
  it('each threshold exactly once, signed; a webhook gets only what it subscribed to', async () => {
    await thresholdsExactlyOnce(open);
  }, 60_000);

  it('balance.low and team.exhausted once per credit episode', async () => {
    await lowBalanceAndExhausted(open);
  }, 60_000);

  it('retried after two 500s with the same delivery id', async () => {
    await retriedAfterTwo500s(open);
  }, 60_000);

  it('a hanging receiver does not block calls; a full queue drops and counts', async () => {
    await hangingReceiverDoesNotBlock(open);
  }, 60_000);

  it('a refusal for credits exhausts the key while some balance is left', async () => {
    await refusalExhausts(open);
  }, 60_000);
});
