// Delivery outcomes of alert webhooks (prom-client). `event` is one of four event types: bounded by design.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { ALERT_EVENTS } from './alerts-config.js';

const OUTCOMES = ['delivered', 'retried', 'failed', 'dropped'] as const;
export type DeliveryOutcome = (typeof OUTCOMES)[number];

export interface AlertMetrics {
  outcome(event: string, outcome: DeliveryOutcome): void;
  /** seconds from the crossing's claim to the receiver's 2xx */
  delivered(event: string, seconds: number): void;
  queueDepth(n: number): void;
}

/** Without a registry (tests, embedders) the metrics are kept but exposed nowhere. */
export function createAlertMetrics(registry?: Registry): AlertMetrics {
  const registers = registry ? [registry] : [];
  const deliveries = new Counter({
    name: 'switchyard_alert_deliveries_total',
    help: 'Alert webhook deliveries by event type and outcome (delivered, retried = one retry scheduled, failed = gave up, dropped = queue full).',
    labelNames: ['event', 'outcome'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'switchyard_alert_delivery_seconds',
    help: 'Seconds from a threshold crossing (its claim) to the webhook receiver accepting the delivery, retries included.',
    labelNames: ['event'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers,
  });
  const depth = new Gauge({
    name: 'switchyard_alert_queue_depth',
    help: 'Alert deliveries waiting, in flight or waiting to retry in this process.',
    registers,
  });
  // Every series exists from the start at 0, so increase() sees the first delivery (16 series, fixed).
  for (const event of ALERT_EVENTS) for (const outcome of OUTCOMES) deliveries.inc({ event, outcome }, 0);
  return {
    outcome: (event, outcome) => deliveries.inc({ event, outcome }),
    delivered: (event, seconds) => latency.observe({ event }, seconds),
    queueDepth: (n) => depth.set(n),
  };
}
