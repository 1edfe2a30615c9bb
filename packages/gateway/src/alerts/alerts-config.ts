// The `alerts:` config section (budget-alert webhooks) as a zod schema, and its parsed, integer-money form.
import { z } from 'zod';
import { parseUsd } from '../accounts/money.js';

const intLike = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^\d+$/, 'Expected an integer').transform(Number)])
    .pipe(z.number().int().min(min).max(max));

export const ALERT_EVENTS = ['budget.threshold', 'balance.low', 'key.exhausted', 'team.exhausted'] as const;
export type AlertEventType = (typeof ALERT_EVENTS)[number];

export const DEFAULT_THRESHOLDS = [50, 80, 100];

const webhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    /** HMAC key of `x-switchyard-signature`; usually `${ENV_VAR}`. */
    secret: z.string().min(16, 'Expected a secret of at least 16 characters'),
    /** Default: every event. */
    events: z.array(z.enum(ALERT_EVENTS)).min(1).optional(),
    /** Percent of each budget period (daily, monthly, total) that fires `budget.threshold`. */
    thresholds: z.array(intLike(1, 100)).min(1).max(20).optional(),
    /** `balance.low` fires when a prepaid balance falls below this (USD). Without it, no `balance.low`. */
    lowBalanceUsd: z
      .union([z.number().nonnegative().finite(), z.string().regex(/^\d+(\.\d{1,9})?$/, 'Expected a USD amount')])
      .transform(String)
      .optional(),
  })
  .strict();

export const alertsSchema = z
  .object({
    webhooks: z.array(webhookSchema).max(20).default([]),
    /** Attempts per delivery (network error, 5xx, 429 retry with exponential backoff and jitter). */
    maxAttempts: intLike(1, 20).default(6),
    /** First retry delay; doubles per attempt up to `maxDelayMs`. 6 attempts span about 2 minutes by default. */
    baseDelayMs: intLike(1, 600_000).default(4_000),
    maxDelayMs: intLike(1, 3_600_000).default(60_000),
    /** One POST's timeout (connect to the end of the response). */
    timeoutMs: intLike(100, 120_000).default(10_000),
    /** Deliveries waiting or retrying; beyond it new ones are dropped (counted). */
    queueSize: intLike(1, 100_000).default(1_000),
  })
  .strict();

export type AlertsConfigInput = z.input<typeof alertsSchema>;

export interface WebhookTarget {
  url: string;
  secret: string;
  events: ReadonlySet<AlertEventType>;
  thresholds: number[];
  lowBalanceNanos?: bigint;
}

export interface AlertsOptions {
  webhooks: WebhookTarget[];
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  queueSize: number;
}

/** Parses the section (throws a ZodError naming the bad path); undefined when no webhook is configured. */
export function parseAlerts(input: unknown): AlertsOptions | undefined {
  const cfg = alertsSchema.parse(input ?? {});
  if (cfg.webhooks.length === 0) return undefined;
  return {
    ...cfg,
    webhooks: cfg.webhooks.map((w) => ({
      url: w.url,
      secret: w.secret,
      events: new Set(w.events ?? ALERT_EVENTS),
      thresholds: [...new Set(w.thresholds ?? DEFAULT_THRESHOLDS)].sort((a, b) => a - b),
      ...(w.lowBalanceUsd !== undefined && { lowBalanceNanos: parseUsd(w.lowBalanceUsd) }),
    })),
  };
}
