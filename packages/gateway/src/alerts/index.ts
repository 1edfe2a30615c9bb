// Budget alerts: signed webhooks on budget thresholds, low balances and exhausted keys or teams, decided after
// settlement and delivered in the background (docs/accounts.md "Alerts").
import type { Registry } from 'prom-client';
import type { AccountEvents } from '../accounts/types.js';
import { AlertDetector, type AlertStore } from './alert-detector.js';
import { createAlertMetrics } from './alert-metrics.js';
import type { AlertsOptions } from './alerts-config.js';
import { type DeliveryLog, WebhookDelivery } from './webhook-delivery.js';

export interface AlertsWiring {
  options: AlertsOptions;
  /** where the delivery metrics go (the gateway's /metrics registry) */
  registry?: Registry;
  /** Coalescing delay between a settle and the check of its accounts. Default 100 ms. */
  checkDelayMs?: number;
}

export interface Alerts {
  events: AccountEvents;
  /** Resolves once every account marked so far has been checked and its deliveries queued (tests). */
  idle(): Promise<void>;
  /** Deliveries queued, in flight or waiting to retry. */
  pending(): number;
  close(): void;
}

export function createAlerts(store: AlertStore, w: AlertsWiring, log?: DeliveryLog): Alerts {
  const delivery = new WebhookDelivery(w.options, createAlertMetrics(w.registry), log);
  const detector = new AlertDetector({
    store,
    options: w.options,
    delivery,
    ...(w.checkDelayMs !== undefined && { checkDelayMs: w.checkDelayMs }),
    ...(log && { log }),
  });
  return {
    events: detector,
    idle: () => detector.idle(),
    pending: () => delivery.size(),
    close() {
      detector.close();
      delivery.close();
    },
  };
}

export { ALERT_EVENTS, type AlertsOptions, alertsSchema, parseAlerts } from './alerts-config.js';
export { DELIVERY_ID_HEADER, SIGNATURE_HEADER, signatureHeader, verifySignature } from './signature.js';
