// Callbacks other modules provide so gauges are read at scrape time (no timers, no per-request work).
import type { Nanos } from '@switchyard/core';
import type { SpanLossWarning } from './span-loss.js';

export type BreakerStateName = 'closed' | 'half-open' | 'open';

/** Gauge value of `switchyard_breaker_state`: 0 closed, 1 half-open, 2 open. */
export const BREAKER_STATE_VALUE: Record<BreakerStateName, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface KeyAccountGauge {
  /** Virtual key id (never the secret). */
  keyId: string;
  /** Prepaid credits left, when the key has a balance. */
  creditsRemainingNanos?: Nanos;
  /** Share of each period's budget already used (settled + reserved) / limit. */
  budgets?: Array<{ period: string; usedRatio: number }>;
}

/** A team's pooled balance, spend and budget use (read from the shared store: the same on every replica). */
export interface TeamAccountGauge {
  teamId: string;
  /** The team's pooled credits left, when it has a pool. */
  creditsRemainingNanos?: Nanos;
  /** Spent by the team's keys: today, this month, ever. */
  spentNanos: { day: Nanos; month: Nanos; total: Nanos };
  budgets?: Array<{ period: string; usedRatio: number }>;
}

export interface AccountGauges {
  keys: KeyAccountGauge[];
  teams?: TeamAccountGauge[];
  /** Reservations admitted and not yet settled or released, when the store can count them. */
  reservationsOpen?: number;
  /** Ledger rows this process could not write and quarantined since it started. */
  ledgerQuarantined?: number;
}

export interface TelemetryHooks {
  /** Current state of every circuit breaker, keyed by target id (`<providerId>/<model>`). */
  breakerStates?: () => Iterable<readonly [string, BreakerStateName]>;
  /** Read by the accounts module at scrape time. May be async (shared stores). */
  accountGauges?: () => AccountGauges | Promise<AccountGauges>;
  /** Spans were dropped or failed to export (rate-limited: at most one call a minute, with counts since the last). */
  onSpansDropped?: SpanLossWarning;
}
