// In-process admission state for a single gateway instance (the sqlite store): balances, open reservations,
// spend counters and rate buckets, all checked and updated synchronously — atomic because JS is single-threaded.

import { dayKey, monthKey, msUntilNextDay, msUntilNextMonth } from '../periods.js';
import { type Bucket, bucketState, refill, waitMs } from '../token-bucket.js';
import type { CallEntry, KeyUsage, RateState, Reservation, ReserveRequest, ReserveResult } from '../types.js';

interface OpenReservation extends Reservation {
  expiresAt: number;
}

export interface AccountState {
  balance: bigint | null;
  reserved: bigint;
  spentTotal: bigint;
  day: string;
  spentDay: bigint;
  month: string;
  spentMonth: bigint;
  open: Map<string, OpenReservation>;
  rpm?: Bucket;
  tpm?: Bucket;
}

export class MemoryState {
  private readonly accounts = new Map<string, AccountState>();

  constructor(private readonly load: (keyId: string, now: number) => AccountState) {}

  account(keyId: string, now: number): AccountState {
    let a = this.accounts.get(keyId);
    if (!a) {
      a = this.load(keyId, now);
      this.accounts.set(keyId, a);
    }
    const d = dayKey(now);
    if (a.day !== d) {
      a.day = d;
      a.spentDay = 0n;
    }
    const m = monthKey(now);
    if (a.month !== m) {
      a.month = m;
      a.spentMonth = 0n;
    }
    return a;
  }

  forget(keyId: string): void {
    this.accounts.delete(keyId);
  }

  reserve(r: ReserveRequest): ReserveResult {
    const { key, now } = r;
    const a = this.account(key.id, now);
    this.reapAccount(a, now);
    const rate: RateState = {};
    const rpm = key.rpm ? refill(a.rpm, key.rpm, now) : undefined;
    const tpm = key.tpm ? refill(a.tpm, key.tpm, now) : undefined;
    if (key.rpm && rpm) rate.requests = bucketState(rpm, key.rpm);
    if (key.tpm && tpm) rate.tokens = bucketState(tpm, key.tpm);
    if (key.maxConcurrency !== undefined && a.open.size >= key.maxConcurrency) {
      return { ok: false, reason: 'concurrency', retryAfterMs: 1000, rate };
    }
    if (key.rpm && rpm) {
      const w = waitMs(rpm, key.rpm, 1);
      if (w > 0) return { ok: false, reason: 'rpm', retryAfterMs: w, rate };
    }
    if (key.tpm && tpm) {
      const w = waitMs(tpm, key.tpm, r.tokens);
      if (w > 0) return { ok: false, reason: 'tpm', retryAfterMs: Number.isFinite(w) ? w : 60_000, rate };
    }
    if (a.balance !== null && a.balance - a.reserved < r.amountNanos) {
      return { ok: false, reason: 'insufficient_credits', rate };
    }
    const committed = a.reserved + r.amountNanos;
    const b = key.budgets;
    if (b.dailyNanos !== undefined && a.spentDay + committed > b.dailyNanos) {
      return { ok: false, reason: 'budget_daily', retryAfterMs: msUntilNextDay(now), rate };
    }
    if (b.monthlyNanos !== undefined && a.spentMonth + committed > b.monthlyNanos) {
      return { ok: false, reason: 'budget_monthly', retryAfterMs: msUntilNextMonth(now), rate };
    }
    if (b.totalNanos !== undefined && a.spentTotal + committed > b.totalNanos) {
      return { ok: false, reason: 'budget_total', rate };
    }
    // Everything fits: consume.
    if (key.rpm && rpm) {
      rpm.level -= 1;
      a.rpm = rpm;
      rate.requests = bucketState(rpm, key.rpm);
    }
    if (key.tpm && tpm) {
      tpm.level -= r.tokens;
      a.tpm = tpm;
      rate.tokens = bucketState(tpm, key.tpm);
    }
    const reservation = { id: r.reservationId, keyId: key.id, amountNanos: r.amountNanos, tokens: r.tokens };
    a.open.set(r.reservationId, { ...reservation, expiresAt: now + r.ttlMs });
    a.reserved += r.amountNanos;
    return { ok: true, reservation, rate };
  }

  /** Applies the actual cost now (admission sees it at once); persistence happens in the caller's batch. */
  settle(res: Reservation, entry: CallEntry, tpmLimit: number | undefined, now: number): void {
    const a = this.account(res.keyId, now);
    this.drop(a, res.id);
    if (a.balance !== null) a.balance -= entry.debitNanos;
    a.spentTotal += entry.costNanos;
    a.spentDay += entry.costNanos;
    a.spentMonth += entry.costNanos;
    const actual = entry.usage ? entry.usage.inputTokens + entry.usage.outputTokens : res.tokens;
    this.correctTokens(a, tpmLimit, res.tokens - actual, now);
  }

  release(res: Reservation, tpmLimit: number | undefined, now: number): void {
    const a = this.account(res.keyId, now);
    this.drop(a, res.id);
    this.correctTokens(a, tpmLimit, res.tokens, now);
  }

  /** A committed top-up. An account not loaded yet will read it from the database when first used. */
  credit(keyId: string, amount: bigint): void {
    const a = this.accounts.get(keyId);
    if (a) a.balance = (a.balance ?? 0n) + amount;
  }

  usage(keyId: string, now: number): KeyUsage {
    const a = this.account(keyId, now);
    this.reapAccount(a, now);
    return {
      balanceNanos: a.balance,
      reservedNanos: a.reserved,
      spentNanos: a.spentTotal,
      spentDayNanos: a.spentDay,
      spentMonthNanos: a.spentMonth,
      openReservations: a.open.size,
    };
  }

  liveBalance(keyId: string): bigint | null | undefined {
    return this.accounts.get(keyId)?.balance;
  }

  reapAll(now: number): number {
    let n = 0;
    for (const a of this.accounts.values()) n += this.reapAccount(a, now);
    return n;
  }

  private reapAccount(a: AccountState, now: number): number {
    let n = 0;
    for (const r of a.open.values()) {
      if (r.expiresAt <= now) {
        this.drop(a, r.id);
        n++;
      }
    }
    return n;
  }

  private drop(a: AccountState, id: string): void {
    const r = a.open.get(id);
    if (!r) return;
    a.open.delete(id);
    a.reserved -= r.amountNanos;
  }

  private correctTokens(a: AccountState, limit: number | undefined, refund: number, now: number): void {
    if (!limit || refund === 0) return;
    const b = refill(a.tpm, limit, now);
    b.level = Math.min(limit, b.level + refund);
    a.tpm = b;
  }
}
