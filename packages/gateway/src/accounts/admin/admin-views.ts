// JSON and CSV output of the admin API: USD as decimal strings, times as ISO 8601. Never the key or its hash.
import { formatUsd } from '../money.js';
import type { EndUserPage } from '../service.js';
import { isTeamId } from '../store/team-rows.js';
import type {
  EndUserLimits,
  KeyRecord,
  KeyUsage,
  LedgerRow,
  SpendGroup,
  SpendRow,
  SpendSeriesRow,
  TeamRecord,
} from '../types.js';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const usdOrNull = (n: bigint | undefined | null) => (n === undefined || n === null ? null : formatUsd(n));

export function keyView(k: KeyRecord, now = Date.now()) {
  const status =
    k.revokedAt !== undefined
      ? 'revoked'
      : !k.enabled
        ? 'disabled'
        : k.expiresAt !== undefined && k.expiresAt <= now
          ? 'expired'
          : 'active';
  return {
    id: k.id,
    object: 'key',
    name: k.name,
    key_hint: k.hint,
    status,
    enabled: k.enabled,
    credits: k.credits,
    budgets: {
      daily_usd: usdOrNull(k.budgets.dailyNanos),
      monthly_usd: usdOrNull(k.budgets.monthlyNanos),
      total_usd: usdOrNull(k.budgets.totalNanos),
    },
    models: k.models,
    rpm: k.rpm ?? null,
    tpm: k.tpm ?? null,
    max_concurrency: k.maxConcurrency ?? null,
    tags: k.tags,
    team_id: k.teamId ?? null,
    end_user_budgets: endUserLimitsView(k.endUserLimits),
    expires_at: iso(k.expiresAt),
    revoked_at: iso(k.revokedAt),
    created_at: iso(k.createdAt),
  };
}

export function keyDetailView(k: KeyRecord, u: KeyUsage) {
  return {
    ...keyView(k),
    balance_usd: usdOrNull(u.balanceNanos),
    reserved_usd: formatUsd(u.reservedNanos),
    spent_usd: formatUsd(u.spentNanos),
    spent_today_usd: formatUsd(u.spentDayNanos),
    spent_this_month_usd: formatUsd(u.spentMonthNanos),
  };
}

const budgetsView = (b: KeyRecord['budgets']) => ({
  daily_usd: usdOrNull(b.dailyNanos),
  monthly_usd: usdOrNull(b.monthlyNanos),
  total_usd: usdOrNull(b.totalNanos),
});

/** null when no end-user limit is set */
const endUserLimitsView = (l: EndUserLimits | undefined) =>
  l === undefined ? null : { ...budgetsView(l.budgets), rpm: l.rpm ?? null };

/** One page of end users: each one's own spend and holds only (the caller is the admin). */
export function endUsersView(scope: string, page: EndUserPage) {
  return {
    object: 'list',
    [isTeamId(scope) ? 'team_id' : 'key_id']: scope,
    data: page.data.map((u) => ({
      end_user: u.endUser,
      spent_today_usd: formatUsd(u.spentDayNanos),
      spent_this_month_usd: formatUsd(u.spentMonthNanos),
      spent_usd: formatUsd(u.spentNanos),
      reserved_usd: formatUsd(u.reservedNanos),
    })),
    has_more: page.next !== undefined,
    next_after: page.next ?? null,
  };
}

export function teamView(t: TeamRecord, u?: KeyUsage) {
  return {
    id: t.id,
    object: 'team',
    name: t.name,
    status: t.enabled ? 'active' : 'disabled',
    enabled: t.enabled,
    credits: t.credits,
    budgets: budgetsView(t.budgets),
    rpm: t.rpm ?? null,
    tpm: t.tpm ?? null,
    max_concurrency: t.maxConcurrency ?? null,
    tags: t.tags,
    end_user_budgets: endUserLimitsView(t.endUserLimits),
    created_at: iso(t.createdAt),
    ...(u && {
      balance_usd: usdOrNull(u.balanceNanos),
      reserved_usd: formatUsd(u.reservedNanos),
      spent_usd: formatUsd(u.spentNanos),
      spent_today_usd: formatUsd(u.spentDayNanos),
      spent_this_month_usd: formatUsd(u.spentMonthNanos),
    }),
  };
}

export function spendView(groupBy: SpendGroup, rows: SpendRow[]) {
  const total = rows.reduce((s, r) => s + r.costNanos, 0n);
  return {
    object: 'list',
    group_by: groupBy,
    data: rows.map((r) => ({
      [groupBy]: r.group,
      requests: r.requests,
      input_tokens: r.inputTokens,
      output_tokens: r.outputTokens,
      cost_usd: formatUsd(r.costNanos),
    })),
    total_usd: formatUsd(total),
  };
}

const csvCell = (v: string | number) => {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function spendCsv(groupBy: SpendGroup, rows: SpendRow[]): string {
  const lines = [[groupBy, 'requests', 'input_tokens', 'output_tokens', 'cost_usd'].join(',')];
  for (const r of rows) {
    lines.push([r.group, r.requests, r.inputTokens, r.outputTokens, formatUsd(r.costNanos)].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

const nanos = (n: bigint | undefined) => formatUsd(n ?? 0n);

/** One ledger row: a call (tokens by kind, cost, outcome) or a credit movement (amount, reason). */
export function ledgerRowView(r: LedgerRow) {
  const base = {
    object: 'ledger_entry',
    seq: r.seq ?? null,
    kind: r.kind,
    created_at: iso(r.createdAt),
    key_id: r.keyId,
    team_id: r.teamId ?? null,
  };
  if (r.kind === 'credit') {
    return {
      ...base,
      amount_usd: formatUsd(r.amountNanos),
      reason: r.reason ?? null,
      idempotency_key: r.idempotencyKey ?? null,
    };
  }
  return {
    ...base,
    request_id: r.requestId ?? null,
    client_request_id: r.clientRequestId ?? null,
    payer: r.payer ?? null,
    end_user: r.endUser ?? null,
    tags: r.tags,
    provider: r.provider ?? null,
    model: r.model ?? null,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cache_read_tokens: r.cacheReadTokens ?? 0,
    cache_write_tokens: r.cacheWriteTokens ?? 0,
    reasoning_tokens: r.reasoningTokens ?? 0,
    usage_source: r.usageSource ?? null,
    cost_usd: formatUsd(r.costNanos),
    debit_usd: formatUsd(r.debitNanos),
    unknown_price: r.unknownPrice ?? false,
    outcome: r.outcome ?? null,
    error_class: r.errorClass ?? null,
    cache_hit: r.cacheHit ?? false,
    saved_usd: nanos(r.savedNanos),
    attempts: r.attempts ?? null,
    started_at: iso(r.startedAt),
    duration_ms: r.startedAt === undefined ? null : r.createdAt - r.startedAt,
  };
}

const LEDGER_CSV_COLUMNS = [
  'created_at',
  'kind',
  'request_id',
  'key_id',
  'team_id',
  'end_user',
  'tags',
  'provider',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'debit_usd',
  'amount_usd',
  'outcome',
  'error_class',
  'reason',
  // appended last: consumers reading columns by position keep working
  'attempts',
] as const;

export function ledgerCsv(rows: LedgerRow[]): string {
  const lines: string[] = [LEDGER_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const call = r.kind === 'call';
    lines.push(
      [
        iso(r.createdAt) ?? '',
        r.kind,
        r.requestId ?? '',
        r.keyId,
        r.teamId ?? '',
        r.endUser ?? '',
        r.tags.join(';'),
        r.provider ?? '',
        r.model ?? '',
        r.inputTokens,
        r.outputTokens,
        r.cacheReadTokens ?? 0,
        r.cacheWriteTokens ?? 0,
        r.reasoningTokens ?? 0,
        call ? formatUsd(r.costNanos) : '',
        call ? formatUsd(r.debitNanos) : '',
        call ? '' : formatUsd(r.amountNanos),
        r.outcome ?? '',
        r.errorClass ?? '',
        r.reason ?? '',
        r.attempts ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function seriesView(groupBy: SpendGroup, interval: string, from: number, to: number, rows: SpendSeriesRow[]) {
  return {
    object: 'spend_series',
    group_by: groupBy,
    interval,
    from: iso(from),
    to: iso(to),
    data: rows.map((r) => ({
      bucket: iso(r.bucket),
      [groupBy]: r.group,
      requests: r.requests,
      errors: r.errors,
      cost_usd: formatUsd(r.costNanos),
    })),
  };
}
