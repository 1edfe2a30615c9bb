// Accounts: virtual keys, prepaid credits (reserve → settle), budgets, RPM/TPM/concurrency limits, ledger, admin API.
import type { PriceSource } from '@switchyard/core';
import type express from 'express';
import { type Alerts, type AlertsWiring, createAlerts } from '../alerts/index.js';
import type { Admission } from '../pipeline/seams.js';
import { createAdminRouter } from './admin/admin-router.js';
import { createAdmission } from './admission.js';
import { KeyDirectory } from './key-directory.js';
import { AccountsService } from './service.js';
import { openStore } from './store/open-store.js';
import type { AccountStore } from './types.js';

export interface AccountsConfig {
  /** `sqlite:./switchyard.db` or `redis://…+postgres://…` */
  store: string;
  /** Require a key even when no key exists yet. Default false (auth turns on with the first key). */
  authRequired?: boolean;
  /** Metered keys (credits or budgets) calling a model without a known price. Default `refuse`. */
  unknownPrice?: 'refuse' | 'allow';
  /** How long a reservation may stay open before it is reaped. Default 10 minutes. */
  reservationTtlMs?: number;
  /** core's catalog (`defaultPriceSource()`), usually chained after operator overrides */
  priceSource: PriceSource;
  /** How long an instance caches a key record (revocations elsewhere propagate within this). Default 1000. */
  keyCacheMs?: number;
  /** group-commit interval for ledger writes. Default 20 ms (SQLite; redis+postgres 5 ms). */
  flushMs?: number;
  log?: { warn(obj: object, msg: string): void };
  /** Budget-alert webhooks (`alerts:` in the config); none when absent. */
  alerts?: AlertsWiring;
}

export interface Accounts {
  admission: Admission;
  /** The `/admin` router, or undefined (admin API off) when no token is given. */
  adminRouter(token: string | undefined): express.Router | undefined;
  store: AccountStore;
  service: AccountsService;
  /** present when webhooks are configured */
  alerts?: Alerts;
  close(): Promise<void>;
}

export const DEFAULT_RESERVATION_TTL_MS = 10 * 60_000;

export async function createAccounts(config: AccountsConfig): Promise<Accounts> {
  const store = await openStore(config.store, {
    ...(config.flushMs !== undefined ? { flushMs: config.flushMs } : {}),
    ...(config.log ? { log: config.log } : {}),
  });
  const keys = new KeyDirectory(store, config.keyCacheMs ?? 1000);
  const service = new AccountsService(store, keys);
  const alerts = config.alerts && createAlerts(store, config.alerts, config.log);
  const admission = createAdmission({
    store,
    keys,
    prices: config.priceSource,
    authRequired: config.authRequired ?? false,
    unknownPrice: config.unknownPrice ?? 'refuse',
    reservationTtlMs: config.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS,
    ...(config.log ? { log: config.log } : {}),
    ...(alerts && { events: alerts.events }),
  });
  // Reap expired reservations in the background too (reserve also reaps lazily per key).
  const reaper = setInterval(() => void store.reapExpired(Date.now()).catch(() => {}), 30_000);
  reaper.unref();
  return {
    admission,
    adminRouter: (token) => createAdminRouter(service, token),
    store,
    service,
    ...(alerts && { alerts }),
    async close() {
      clearInterval(reaper);
      alerts?.close();
      await store.close();
    },
  };
}

export { adminAuth } from './admin/admin-router.js';
export { createAdmission } from './admission.js';
export { generateKey, globMatch, hashKey, modelAllowed } from './keys.js';
export { formatUsd, parseUsd } from './money.js';
export { costOf, DEFAULT_OUTPUT_CAP, estimateReservation, lookupPrice } from './pricing.js';
export { AccountsService, type CreateKeyInput } from './service.js';
export { openStore } from './store/open-store.js';
export type * from './types.js';
