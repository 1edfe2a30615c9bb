// In-process admission state for a single gateway instance (the sqlite store): balances, open reservations,
// spend counters and rate buckets, all checked and updated synchronously — atomic because JS is single-threaded.

import { isEndUserAccount } from '../end-users.js';
import { dayKey, monthKey, msUntilNextDay, msUntilNextMonth } from '../periods.js';
import { type Bucket, bucketState, refill, waitMs } from '../token-bucket.js';
import type {
  CallEntry,
  KeyUsage,
  Limits,
  Payer,
  RateState,
  RefusalReason,
  Reservation,
  ReserveRequest,
  ReserveResult,
} from '../types.js';

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
  /** last reserve or settle (end-user accounts idle past a minute may be evicted: their RPM bucket is full) */
  usedAt?: number;
  /** `MemoryState.settles` at this account's last settle: evictable once the ledger holds that settle */
  lastSettle?: number;
  /**
   * No open reservation expires before this (epoch ms; a lower bound, may name one already settled): reaping skips
   * the scan of `open` until then. Unset: scan on the next reap.
   */
  reapAfter?: number;
}

/** End-user accounts kept in memory before idle ones are evicted (they reload from the ledger). */
export const MAX_END_USER_ACCOUNTS = 10_000;

export class MemoryState {
  private readonly accounts = new Map<string, AccountState>();
  private evictedAt = 0;
  /** Settles so far (each numbered, for `evictIdleEndUsers`). */
  settles = 0;

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

  /**
   * Checks every level (key, then its team) and consumes at all of them only if everything fits: concurrency,
   * RPM, TPM, budgets (each level counts all its open reservations), and the payer's balance (docs/accounts.md
   * "Teams": the key's own credits when they cover the whole reservation, else the team's pool).
   */
  reserve(r: ReserveRequest): ReserveResult {
    const { key, team, endUser, now } = r;
    const a = this.account(key.id, now);
    this.reapAccount(a, now);
    const ta = team ? this.account(team.id, now) : undefined;
    if (ta) this.reapAccount(ta, now);
    const ea = endUser ? this.account(endUser.account, now) : undefined;
    if (ea) {
      this.reapAccount(ea, now);
      ea.usedAt = now;
    }
    const rate: RateState = {};
    const k = checkLevel(a, key, r, rate, '');
    if ('reason' in k) return { ...k, rate };
    const t = team && ta ? checkLevel(ta, team, r, {}, 'team_') : undefined;
    if (t && 'reason' in t) return { ...t, rate };
    const e = endUser && ea ? checkLevel(ea, endUser.limits, r, {}, 'end_user_') : undefined;
    if (e && 'reason' in e) return { ...e, rate };
    const fits = (x: AccountState | undefined) =>
      x !== undefined && x.balance !== null && x.balance - x.reserved >= r.amountNanos;
    const payer: Payer | undefined = fits(a) ? 'key' : fits(ta) ? 'team' : undefined;
    if (payer === undefined && (a.balance !== null || (ta !== undefined && ta.balance !== null))) {
      return { ok: false, reason: 'insufficient_credits', rate };
    }
    // Everything fits: consume at every level.
    consume(a, key, k, r, rate);
    if (ta && team && t) consume(ta, team, t, r, {});
    if (ea && endUser && e) consume(ea, endUser.limits, e, r, {});
    const reservation: Reservation = {
      id: r.reservationId,
      keyId: key.id,
      ...(team ? { teamId: team.id } : {}),
      ...(endUser ? { endUserAccount: endUser.account } : {}),
      ...(payer ? { payer } : {}),
      amountNanos: r.amountNanos,
      tokens: r.tokens,
    };
    const open = { ...reservation, expiresAt: now + r.ttlMs };
    hold(a, open);
    if (ta) hold(ta, open);
    if (ea) hold(ea, open);
    return { ok: true, reservation, rate };
  }

  /** Applies the actual cost now (admission sees it at once); persistence happens in the caller's batch. */
  settle(res: Reservation, entry: CallEntry, tpmOf: (id: string) => number | undefined, now: number): void {
    const actual = entry.usage ? entry.usage.inputTokens + entry.usage.outputTokens : res.tokens;
    const seq = ++this.settles;
    for (const [id, pays] of levels(res)) {
      const a = this.account(id, now);
      a.usedAt = now;
      a.lastSettle = seq;
      this.drop(a, res.id);
      if (pays && a.balance !== null) a.balance -= entry.debitNanos;
      a.spentTotal += entry.costNanos;
      a.spentDay += entry.costNanos;
      a.spentMonth += entry.costNanos;
      this.correctTokens(a, tpmOf(id), res.tokens - actual, now);
    }
  }

  release(res: Reservation, tpmOf: (id: string) => number | undefined, now: number): void {
    for (const [id] of levels(res)) {
      const a = this.account(id, now);
      this.drop(a, res.id);
      this.correctTokens(a, tpmOf(id), res.tokens, now);
    }
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

  /**
   * Bounds memory against a tenant that names a new end user on every call: end-user accounts with nothing open
   * and idle for a minute (their RPM bucket has refilled) are dropped; they reload from the ledger when used again.
   * `inLedger`: the ledger holds every settle up to this one (`settles` when the committed batch was cut); an
   * account settled after it is kept, whatever its age, since its reload would miss that row.
   */
  evictIdleEndUsers(now: number, inLedger: number, max = MAX_END_USER_ACCOUNTS): void {
    // at most once a second: with many active end users the scan would otherwise run on every commit
    if (this.accounts.size <= max || now - this.evictedAt < 1000) return;
    this.evictedAt = now;
    for (const [id, a] of this.accounts) {
      if (
        isEndUserAccount(id) &&
        a.open.size === 0 &&
        now - (a.usedAt ?? 0) > 60_000 &&
        (a.lastSettle ?? 0) <= inLedger
      ) {
        this.accounts.delete(id);
      }
    }
  }

  liveBalance(keyId: string): bigint | null | undefined {
    return this.accounts.get(keyId)?.balance;
  }

  reapAll(now: number): number {
    let n = 0;
    for (const a of this.accounts.values()) n += this.reapAccount(a, now);
    return n;
  }

  /** Drops expired reservations. Runs on every reserve: scans `open` only once one may have expired. */
  private reapAccount(a: AccountState, now: number): number {
    if (a.reapAfter !== undefined && now < a.reapAfter) return 0;
    let n = 0;
    let next = Number.POSITIVE_INFINITY;
    for (const r of a.open.values()) {
      if (r.expiresAt <= now) {
        this.drop(a, r.id);
        n++;
      } else if (r.expiresAt < next) next = r.expiresAt;
    }
    a.reapAfter = next;
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

/** Opens a reservation at one level; keeps `reapAfter` a lower bound of its open reservations' expiries. */
function hold(a: AccountState, open: OpenReservation): void {
  a.open.set(open.id, open);
  a.reserved += open.amountNanos;
  if (a.reapAfter !== undefined && open.expiresAt < a.reapAfter) a.reapAfter = open.expiresAt;
}

/** The accounts a reservation holds at: [id, pays the debit]. An end user never pays: it has no balance. */
function levels(res: Reservation): [string, boolean][] {
  const out: [string, boolean][] = [[res.keyId, res.payer === 'key']];
  if (res.teamId !== undefined) out.push([res.teamId, res.payer === 'team']);
  if (res.endUserAccount !== undefined) out.push([res.endUserAccount, false]);
  return out;
}

interface Fit {
  rpm?: Bucket;
  tpm?: Bucket;
}
type Refused = { ok: false; reason: RefusalReason; retryAfterMs?: number };

/** One level's limits and budgets against its state; nothing is consumed here. */
function checkLevel(
  a: AccountState,
  l: Partial<Limits>,
  r: ReserveRequest,
  rate: RateState,
  p: '' | 'team_' | 'end_user_',
): Fit | Refused {
  const { now } = r;
  const rpm = l.rpm ? refill(a.rpm, l.rpm, now) : undefined;
  const tpm = l.tpm ? refill(a.tpm, l.tpm, now) : undefined;
  if (l.rpm && rpm) rate.requests = bucketState(rpm, l.rpm);
  if (l.tpm && tpm) rate.tokens = bucketState(tpm, l.tpm);
  const no = (reason: string, retryAfterMs?: number): Refused => ({
    ok: false,
    reason: `${p}${reason}` as RefusalReason,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
  if (l.maxConcurrency !== undefined && a.open.size >= l.maxConcurrency) return no('concurrency', 1000);
  if (l.rpm && rpm) {
    const w = waitMs(rpm, l.rpm, 1);
    if (w > 0) return no('rpm', w);
  }
  if (l.tpm && tpm) {
    const w = waitMs(tpm, l.tpm, r.tokens);
    if (w > 0) return no('tpm', Number.isFinite(w) ? w : 60_000);
  }
  const committed = a.reserved + r.amountNanos;
  const b = l.budgets ?? {};
  if (b.dailyNanos !== undefined && a.spentDay + committed > b.dailyNanos)
    return no('budget_daily', msUntilNextDay(now));
  if (b.monthlyNanos !== undefined && a.spentMonth + committed > b.monthlyNanos) {
    return no('budget_monthly', msUntilNextMonth(now));
  }
  if (b.totalNanos !== undefined && a.spentTotal + committed > b.totalNanos) return no('budget_total');
  return { ...(rpm ? { rpm } : {}), ...(tpm ? { tpm } : {}) };
}

function consume(a: AccountState, l: Partial<Limits>, f: Fit, r: ReserveRequest, rate: RateState): void {
  if (l.rpm && f.rpm) {
    f.rpm.level -= 1;
    a.rpm = f.rpm;
    rate.requests = bucketState(f.rpm, l.rpm);
  }
  if (l.tpm && f.tpm) {
    f.tpm.level -= r.tokens;
    a.tpm = f.tpm;
    rate.tokens = bucketState(f.tpm, l.tpm);
  }
}
