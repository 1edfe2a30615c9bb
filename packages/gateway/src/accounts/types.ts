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
  /** The team this key belongs to (its pooled credits, budgets and limits apply too). */
  teamId?: string;
  /** Per-end-user limits of a key without a team (a team's keys use the team's). */
  endUserLimits?: EndUserLimits;
  expiresAt?: number;
  revokedAt?: number;
  createdAt: number;
}

/** The limits every level (key, team) can carry; one reservation checks them all together. */
export type Limits = Pick<KeyRecord, 'budgets' | 'rpm' | 'tpm' | 'maxConcurrency'>;

/** What each end user of a team (or of a key without a team) may spend and how often it may call. */
export type EndUserLimits = Pick<Limits, 'budgets' | 'rpm'> & {
  /**
   * When these limits were last set (ms). Part of every end user's account id: limits set anew start from the
   * ledger, never from state kept while they were off (calls made then were not counted at the end-user level).
   */
  version?: number;
};

/** A team: one level above keys, with a pooled prepaid balance its keys draw on (docs/accounts.md "Teams"). */
export interface TeamRecord {
  id: string;
  name: string;
  /** The team has a pooled prepaid balance. */
  credits: boolean;
  budgets: Budgets;
  rpm?: number;
  tpm?: number;
  maxConcurrency?: number;
  tags: string[];
  enabled: boolean;
  /** Limits of each end user of the team (docs/accounts.md "End-user budgets"). */
  endUserLimits?: EndUserLimits;
  createdAt: number;
}

export type TeamPatch = Partial<
  Pick<TeamRecord, 'name' | 'budgets' | 'tags' | 'enabled' | 'rpm' | 'tpm' | 'maxConcurrency' | 'endUserLimits'>
>;

export type KeyPatch = Partial<
  Pick<
    KeyRecord,
    | 'name'
    | 'budgets'
    | 'models'
    | 'tags'
    | 'enabled'
    | 'rpm'
    | 'tpm'
    | 'maxConcurrency'
    | 'expiresAt'
    | 'endUserLimits'
  >
> & { revokedAt?: number };

export interface CreditMovement {
  /** The account credited: a key id, or a team id (`team_…`) for a team's pool. */
  keyId: string;
  /** positive: top-up, negative: adjustment */
  amountNanos: bigint;
  reason: string;
  idempotencyKey: string;
  at: number;
}

export interface ReserveRequest {
  key: KeyRecord;
  /** The key's team (enabled), checked and held in the same atomic step as the key. */
  team?: TeamRecord;
  /** The request's end user when its team (or team-less key) has end-user limits: a third level, same step. */
  endUser?: { account: string; limits: EndUserLimits };
  reservationId: string;
  /** upper bound of the call's cost */
  amountNanos: bigint;
  /** estimated tokens (input + max output), counted against TPM now and corrected at settle */
  tokens: number;
  ttlMs: number;
  now: number;
}

/** Whose prepaid balance a call is debited from: chosen once, at reservation. */
export type Payer = 'key' | 'team';

export interface Reservation {
  id: string;
  keyId: string;
  teamId?: string;
  /** The end user's account (`endUserAccount()`), when its limits were checked and held. */
  endUserAccount?: string;
  /** absent: no prepaid balance applies (budgets and limits only) */
  payer?: Payer;
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
  | 'concurrency'
  | 'team_budget_daily'
  | 'team_budget_monthly'
  | 'team_budget_total'
  | 'team_rpm'
  | 'team_tpm'
  | 'team_concurrency'
  | 'end_user_budget_daily'
  | 'end_user_budget_monthly'
  | 'end_user_budget_total'
  | 'end_user_rpm';

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
  teamId?: string;
  /** whose balance `debitNanos` leaves (absent with a zero debit) */
  payer?: Payer;
  /** The request's `user` (or `x-switchyard-end-user`), for attribution. */
  endUser?: string;
  /** Cost allocation tags from `x-switchyard-tags`. */
  tags?: string[];
  providerId?: string;
  model?: string;
  usage?: Usage;
  /** actual cost (0 when the price is unknown, flagged) */
  costNanos: bigint;
  /** what leaves the payer's prepaid balance: the cost when a payer is set, else 0 */
  debitNanos: bigint;
  unknownPrice: boolean;
  outcome: 'ok' | 'error';
  errorClass?: string;
  startedAt: number;
  settledAt: number;
  /** Served by the response cache (no upstream call). */
  cacheHit?: boolean;
  /** For a cache hit: the upstream spend it avoided (the original call's cost). */
  savedNanos?: bigint;
  /** Upstream attempts the call took (`CallOutcome.attempts`): 0 for a cache hit; absent = unknown (NULL). */
  attempts?: number;
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

export type SpendGroup = 'key' | 'provider' | 'model' | 'day' | 'team' | 'end_user' | 'tag';

export interface SpendQuery {
  groupBy: SpendGroup;
  /** only this team's calls */
  teamId?: string;
  from?: number;
  to?: number;
}

export interface EndUserQuery {
  /** a team id (`team_…`) or a key id */
  scope: string;
  after?: string;
  limit: number;
  /** starts of the current UTC day and month (spent today / this month) */
  dayStart: number;
  monthStart: number;
}

export interface EndUserSpend {
  endUser: string;
  spentNanos: bigint;
  spentDayNanos: bigint;
  spentMonthNanos: bigint;
}

/** Ledger rows for the admin listing: every filter optional, newest first, `before` is the `seq` cursor. */
export interface LedgerQuery {
  kind?: 'call' | 'credit';
  keyId?: string;
  teamId?: string;
  provider?: string;
  model?: string;
  endUser?: string;
  tag?: string;
  requestId?: string;
  outcome?: 'ok' | 'error';
  from?: number;
  to?: number;
  before?: number;
  limit: number;
}

export interface LedgerPage {
  rows: LedgerRow[];
  /** `before` of the next (older) page; absent on the last page. */
  nextBefore?: number;
}

/** Spend per time bucket (UTC, `bucketMs` wide) and group, over [from, to). */
export interface SpendSeriesQuery {
  groupBy: SpendGroup;
  bucketMs: number;
  from: number;
  to: number;
  teamId?: string;
}

export interface SpendSeriesRow {
  /** epoch ms of the bucket's start */
  bucket: number;
  group: string;
  requests: number;
  errors: number;
  costNanos: bigint;
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
  insertTeam(team: TeamRecord, initialCredit?: CreditMovement): Promise<void>;
  getTeam(id: string): Promise<TeamRecord | undefined>;
  listTeams(): Promise<TeamRecord[]>;
  updateTeam(id: string, patch: TeamPatch): Promise<TeamRecord | undefined>;
  /** Ledger rows of one team (calls of its keys, credits of its pool) in [from, to), for statements. */
  teamLedger(teamId: string, from: number, to: number): Promise<LedgerRow[]>;
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
  /** A key's, a team's or an end user's (by its account id) live balance, holds and spend. */
  usage(keyId: string, now: number): Promise<KeyUsage>;
  /** End users named on the calls of a team (or of a key), in order, after `after`, with their spend (ledger). */
  endUsers(q: EndUserQuery): Promise<EndUserSpend[]>;
  spend(q: SpendQuery): Promise<SpendRow[]>;
  /** Ledger rows matching the filters, newest first, one page (admin listing and CSV export). */
  listLedger(q: LedgerQuery): Promise<LedgerPage>;
  spendSeries(q: SpendSeriesQuery): Promise<SpendSeriesRow[]>;
  verify(): Promise<VerifyResult>;
  /** Resolves once every settle accepted so far is committed. */
  flush(): Promise<void>;
  /**
   * Claims a one-time alert by its unique key: true for exactly one caller across replicas. A claim with an expiry
   * (its period's end, plus a margin) is pruned after it; one without stays.
   */
  claimAlert(claim: string, at: number, expiresAt?: number): Promise<boolean>;
  /** Deletes the claims whose expiry has passed; returns how many. */
  pruneAlertClaims(now: number): Promise<number>;
  /** Σ credit movements into an account (key or team id): a top-up changes it (alerts' balance episode). */
  creditedNanos(accountId: string): Promise<bigint>;
  /** Ledger rows this process quarantined since it started (metric `switchyard_ledger_quarantined_rows`). */
  quarantined(): number;
  close(): Promise<void>;
}

/** One ledger row as read back for a statement. */
export interface LedgerRow {
  kind: 'call' | 'credit';
  keyId: string;
  teamId?: string;
  payer?: Payer;
  endUser?: string;
  tags: string[];
  provider?: string;
  model?: string;
  inputTokens: number;
  outputTokens: number;
  costNanos: bigint;
  debitNanos: bigint;
  amountNanos: bigint;
  reason?: string;
  createdAt: number;
  /** Read back for the admin listing (absent in statements built before these were read). */
  seq?: number;
  requestId?: string;
  clientRequestId?: string;
  idempotencyKey?: string;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  usageSource?: string;
  unknownPrice?: boolean;
  outcome?: 'ok' | 'error';
  errorClass?: string;
  startedAt?: number;
  cacheHit?: boolean;
  savedNanos?: bigint;
  /** Upstream attempts of a call; absent on rows written before migration 7 (unknown). */
  attempts?: number;
}

/** What admission reports after the fact (alerts listen): both return at once and never throw. */
export interface AccountEvents {
  /** A call's spend was committed (the store's settle resolved). */
  settled(entry: CallEntry): void;
  /** A call was refused for credits or a budget (other refusals are not reported). */
  refused(key: KeyRecord, team: TeamRecord | undefined, reason: RefusalReason): void;
}
