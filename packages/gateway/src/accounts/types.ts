// Plain data of the accounts module and the one interface every store implements (sqlite, redis+postgres).
// Money is bigint nano-USD everywhere; times are epoch ms.
import type { Usage } from '@switchyard/core';

export interface Budgets {
  dailyNanos?: bigint;
  monthlyNanos?: bigint;
  totalNanos?: bigint;
}

/** A virtual key as stored: never the key itself, only its SHA-256 hash and a short hint for humans. */
export interface KeyRecord {
  id: string;
  /** hex SHA-256 of the full key */
  hash: string;
  /** e.g. `sk-sy-…Xy9z`: enough to recognise, useless to attack */
  hint: string;
  name: string;
  /** The key has a prepaid balance (a key without one is limited by budgets and rate limits only). */
  credits: boolean;
  budgets: Budgets;
  /** Glob-ish patterns of allowed models / routes (`openai/*`); empty = all. */
  models: string[];
  rpm?: number;
  tpm?: number;
  maxConcurrency?: number;
  tags: string[];
  enabled: boolean;
  expiresAt?: number;
  revokedAt?: number;
  createdAt: number;
}

export type KeyPatch = Partial<
  Pick<KeyRecord, 'name' | 'budgets' | 'models' | 'tags' | 'enabled' | 'rpm' | 'tpm' | 'maxConcurrency' | 'expiresAt'>
> & { revokedAt?: number };

export interface CreditMovement {
  keyId: string;
  /** positive: top-up, negative: adjustment */
  amountNanos: bigint;
  reason: string;
  idempotencyKey: string;
  at: number;
}

export interface ReserveRequest {
  key: KeyRecord;
  reservationId: string;
  /** upper bound of the call's cost */
  amountNanos: bigint;
  /** estimated tokens (input + max output), counted against TPM now and corrected at settle */
  tokens: number;
  ttlMs: number;
  now: number;
}

export interface Reservation {
  id: string;
  keyId: string;
  amountNanos: bigint;
  tokens: number;
}

export interface BucketState {
  limit: number;
  remaining: number;
  /** ms until the bucket is full again */
  resetMs: number;
}

export interface RateState {
  requests?: BucketState;
  tokens?: BucketState;
}

export type RefusalReason =
  | 'insufficient_credits'
  | 'budget_daily'
  | 'budget_monthly'
  | 'budget_total'
  | 'rpm'
  | 'tpm'
  | 'concurrency';

export type ReserveResult =
  | { ok: true; reservation: Reservation; rate: RateState }
  | { ok: false; reason: RefusalReason; retryAfterMs?: number; rate: RateState };

/** One settled call: becomes one append-only ledger row. */
export interface CallEntry {
  /** The gateway's unique id of the call (the reservation's id too). */
  requestId: string;
  /** The client's `x-request-id`, stored as a reference only (not unique). */
  clientRequestId?: string;
  keyId: string;
  providerId?: string;
  model?: string;
  usage?: Usage;
  /** actual cost (0 when the price is unknown, flagged) */
  costNanos: bigint;
  /** what leaves the prepaid balance: the cost for keys with credits, else 0 */
  debitNanos: bigint;
  unknownPrice: boolean;
  outcome: 'ok' | 'error';
  errorClass?: string;
  startedAt: number;
  settledAt: number;
}

export interface KeyUsage {
  /** null when the key has no prepaid balance */
  balanceNanos: bigint | null;
  reservedNanos: bigint;
  spentNanos: bigint;
  spentDayNanos: bigint;
  spentMonthNanos: bigint;
  /** Reservations of this key admitted and not yet settled, released or expired (all instances, on redis). */
  openReservations?: number;
}

export type SpendGroup = 'key' | 'provider' | 'model' | 'day';

export interface SpendQuery {
  groupBy: SpendGroup;
  from?: number;
  to?: number;
}

export interface SpendRow {
  group: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costNanos: bigint;
}

export interface VerifyRow {
  keyId: string;
  /** balance the store keeps */
  storedNanos: bigint;
  /** Σ credit movements − Σ debits, recomputed from the ledger */
  ledgerNanos: bigint;
  /** live admission balance (redis), when it differs from the stored one */
  liveNanos?: bigint;
}

export interface VerifyResult {
  ok: boolean;
  keysChecked: number;
  mismatches: VerifyRow[];
  /** Settled calls a ledger writer could not write (kept in `ledger_quarantine` for an operator). */
  quarantined: number;
}

/** Everything admission and the admin API need from persistence. Implementations: sqlite, redis+postgres. */
export interface AccountStore {
  readonly kind: 'sqlite' | 'redis+postgres';
  insertKey(key: KeyRecord, initialCredit?: CreditMovement): Promise<void>;
  findKeyByHash(hash: string): Promise<KeyRecord | undefined>;
  getKey(id: string): Promise<KeyRecord | undefined>;
  listKeys(): Promise<KeyRecord[]>;
  updateKey(id: string, patch: KeyPatch): Promise<KeyRecord | undefined>;
  countKeys(): Promise<number>;
  /** Idempotent by (keyId, idempotencyKey): `applied` is false on a replay. */
  addCredits(m: CreditMovement): Promise<{ applied: boolean }>;
  /** Atomic all-or-nothing check of concurrency, RPM, TPM, credits and budgets; consumes them only if all fit. */
  reserve(r: ReserveRequest): Promise<ReserveResult>;
  /** Replaces the reservation by the actual cost. Durable once `flush()` resolves (group commit). */
  settle(res: Reservation, entry: CallEntry): Promise<void>;
  release(res: Reservation): Promise<void>;
  /** Drops expired reservations (also done lazily on reserve); returns how many. */
  reapExpired(now: number): Promise<number>;
  usage(keyId: string, now: number): Promise<KeyUsage>;
  spend(q: SpendQuery): Promise<SpendRow[]>;
  verify(): Promise<VerifyResult>;
  /** Resolves once every settle accepted so far is committed. */
  flush(): Promise<void>;
  /** Ledger rows this process quarantined since it started (metric `switchyard_ledger_quarantined_rows`). */
  quarantined(): number;
  close(): Promise<void>;
}
