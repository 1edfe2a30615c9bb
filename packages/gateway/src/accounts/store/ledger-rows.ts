// Ledger rows shared by the sqlite and postgres stores: one row per settled call, one per credit movement.
import type {
  CallEntry,
  CreditMovement,
  EndUserSpend,
  LedgerPage,
  LedgerRow,
  Payer,
  SpendGroup,
  SpendSeriesRow,
} from '../types.js';
import type { Cell } from './key-rows.js';
import { isTeamId } from './team-rows.js';

export const CALL_COLUMNS = [
  'kind',
  'key_id',
  'request_id',
  'provider',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'usage_source',
  'cost_nanos',
  'debit_nanos',
  'unknown_price',
  'outcome',
  'error_class',
  'started_at',
  'created_at',
  'cache_hit',
  'saved_nanos',
  'client_request_id',
  'team_id',
  'payer',
  'end_user',
  'tags',
  'attempts',
] as const;

export function callRow(e: CallEntry): Cell[] {
  const u = e.usage;
  return [
    'call',
    e.keyId,
    e.requestId,
    e.providerId ?? null,
    e.model ?? null,
    u?.inputTokens ?? 0,
    u?.outputTokens ?? 0,
    u?.cacheReadTokens ?? 0,
    u?.cacheWriteTokens ?? 0,
    u?.reasoningTokens ?? 0,
    u?.source ?? null,
    e.costNanos,
    e.debitNanos,
    e.unknownPrice ? 1 : 0,
    e.outcome,
    e.errorClass ?? null,
    e.startedAt,
    e.settledAt,
    e.cacheHit ? 1 : 0,
    e.savedNanos ?? 0n,
    e.clientRequestId ?? null,
    e.teamId ?? null,
    e.payer ?? null,
    e.endUser ?? null,
    e.tags && e.tags.length > 0 ? JSON.stringify(e.tags) : null,
    e.attempts ?? null,
  ];
}

/** The account whose stored balance a call row's debit leaves: the team's pool or the key's own. */
export function debitAccount(e: Pick<CallEntry, 'keyId' | 'teamId' | 'payer'>): string {
  return e.payer === 'team' && e.teamId !== undefined ? e.teamId : e.keyId;
}

/** A row kept in `ledger_quarantine`: the whole entry as JSON, bigints as decimal strings. */
export function entryJson(e: CallEntry): string {
  return JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export const CREDIT_COLUMNS = [
  'kind',
  'key_id',
  'idempotency_key',
  'amount_nanos',
  'reason',
  'created_at',
  'team_id',
] as const;

/** A team's top-up keeps the team id in key_id (the account credited) and in team_id (for its statement). */
export function creditRow(m: CreditMovement): Cell[] {
  return ['credit', m.keyId, m.idempotencyKey, m.amountNanos, m.reason, m.at, isTeamId(m.keyId) ? m.keyId : null];
}

/** The SQL expression a spend report groups by, per dialect. */
export function groupExpr(g: SpendGroup, dialect: 'sqlite' | 'postgres'): string {
  switch (g) {
    case 'key':
      return 'key_id';
    case 'provider':
      return "COALESCE(provider, '')";
    case 'model':
      return "COALESCE(model, '')";
    case 'team':
      return "COALESCE(team_id, '')";
    case 'end_user':
      return "COALESCE(end_user, '')";
    case 'tag':
      // joined per dialect by the caller (one row per tag); untagged calls group under ''
      return "COALESCE(tag, '')";
    default:
      return dialect === 'sqlite'
        ? "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')"
        : "to_char(to_timestamp(created_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
  }
}

/**
 * An account's balance recomputed from the ledger (`k` is the keys or teams row): its credits minus the debits it
 * paid. A team's calls are debited from the team only when `payer = 'team'`; rows older than teams have no payer.
 */
export const DERIVED_BALANCE = `COALESCE((SELECT SUM(amount_nanos) FROM ledger l WHERE l.kind = 'credit' AND l.key_id = k.id), 0)
  - COALESCE((SELECT SUM(debit_nanos) FROM ledger l WHERE l.kind = 'call' AND l.key_id = k.id AND (l.payer IS NULL OR l.payer = 'key')), 0)
  - COALESCE((SELECT SUM(debit_nanos) FROM ledger l WHERE l.kind = 'call' AND l.team_id = k.id AND l.payer = 'team'), 0)`;

const opt = (v: Cell | undefined) => (v === null || v === undefined ? undefined : String(v));

/** A ledger row read back (sqlite or postgres: numbers may come as bigint or string). */
export function rowToLedger(r: Record<string, Cell>): LedgerRow {
  const row: LedgerRow = {
    kind: r.kind === 'credit' ? 'credit' : 'call',
    keyId: String(r.key_id),
    tags: r.tags ? (JSON.parse(String(r.tags)) as string[]) : [],
    inputTokens: Number(r.input_tokens ?? 0),
    outputTokens: Number(r.output_tokens ?? 0),
    costNanos: BigInt(r.cost_nanos ?? 0),
    debitNanos: BigInt(r.debit_nanos ?? 0),
    amountNanos: BigInt(r.amount_nanos ?? 0),
    createdAt: Number(r.created_at),
  };
  const [team, payer, user, provider, model, reason] = [
    r.team_id,
    r.payer,
    r.end_user,
    r.provider,
    r.model,
    r.reason,
  ].map(opt);
  if (team !== undefined) row.teamId = team;
  if (payer !== undefined) row.payer = payer as Payer;
  if (user !== undefined) row.endUser = user;
  if (provider !== undefined) row.provider = provider;
  if (model !== undefined) row.model = model;
  if (reason !== undefined) row.reason = reason;
  return withCallDetail(row, r);
}

/** The columns the admin listing shows beyond a statement's (request id, tokens by kind, outcome, timing). */
function withCallDetail(row: LedgerRow, r: Record<string, Cell>): LedgerRow {
  if (r.seq !== undefined && r.seq !== null) row.seq = Number(r.seq);
  const text: [keyof LedgerRow, Cell | undefined][] = [
    ['requestId', r.request_id],
    ['clientRequestId', r.client_request_id],
    ['idempotencyKey', r.idempotency_key],
    ['usageSource', r.usage_source],
    ['errorClass', r.error_class],
  ];
  for (const [k, v] of text)
    if (v !== null && v !== undefined) (row as unknown as Record<string, unknown>)[k] = String(v);
  if (r.outcome === 'ok' || r.outcome === 'error') row.outcome = r.outcome;
  if (row.kind === 'call') {
    row.cacheReadTokens = Number(r.cache_read_tokens ?? 0);
    row.cacheWriteTokens = Number(r.cache_write_tokens ?? 0);
    row.reasoningTokens = Number(r.reasoning_tokens ?? 0);
    row.unknownPrice = Number(r.unknown_price ?? 0) === 1;
    row.cacheHit = Number(r.cache_hit ?? 0) === 1;
    row.savedNanos = BigInt(r.saved_nanos ?? 0);
    if (r.started_at !== null && r.started_at !== undefined) row.startedAt = Number(r.started_at);
    if (r.attempts !== null && r.attempts !== undefined) row.attempts = Number(r.attempts);
  }
  return row;
}

/**
 * The end users named on the calls of a team (`team_id`) or of a key (`key_id`), in order after `after`, with what
 * they spent in total, since `dayStart` and since `monthStart`. Parameters: dayStart monthStart scope after limit.
 */
export function endUserSpendSql(col: 'team_id' | 'key_id', param: (n: number) => string): string {
  return `SELECT end_user, SUM(cost_nanos) AS spent,
      SUM(CASE WHEN created_at >= ${param(1)} THEN cost_nanos ELSE 0 END) AS d,
      SUM(CASE WHEN created_at >= ${param(2)} THEN cost_nanos ELSE 0 END) AS m
    FROM ledger WHERE kind = 'call' AND ${col} = ${param(3)} AND end_user > ${param(4)}
    GROUP BY end_user ORDER BY end_user LIMIT ${param(5)}`;
}

export const endUserSpendRow = (r: Record<string, unknown>): EndUserSpend => ({
  endUser: String(r.end_user),
  spentNanos: BigInt(String(r.spent ?? 0)),
  spentDayNanos: BigInt(String(r.d ?? 0)),
  spentMonthNanos: BigInt(String(r.m ?? 0)),
});

/** A page from `limit + 1` rows read: the extra row only says that an older page exists. */
export function ledgerPage(rows: Record<string, Cell>[], limit: number): LedgerPage {
  const page = rows.slice(0, limit).map(rowToLedger);
  const last = page.at(-1);
  return rows.length > limit && last?.seq !== undefined ? { rows: page, nextBefore: last.seq } : { rows: page };
}

export function seriesRow(r: Record<string, Cell>): SpendSeriesRow {
  return {
    bucket: Number(r.bucket),
    group: String(r.grp),
    requests: Number(r.requests),
    errors: Number(r.errors ?? 0),
    costNanos: BigInt(r.cost ?? 0),
  };
}
