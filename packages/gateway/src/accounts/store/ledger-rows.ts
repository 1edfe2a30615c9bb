// Ledger rows shared by the sqlite and postgres stores: one row per settled call, one per credit movement.
import type { CallEntry, CreditMovement, SpendGroup } from '../types.js';
import type { Cell } from './key-rows.js';

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
  'client_request_id',
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
    e.clientRequestId ?? null,
  ];
}

/** A row kept in `ledger_quarantine`: the whole entry as JSON, bigints as decimal strings. */
export function entryJson(e: CallEntry): string {
  return JSON.stringify(e, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export const CREDIT_COLUMNS = ['kind', 'key_id', 'idempotency_key', 'amount_nanos', 'reason', 'created_at'] as const;

export function creditRow(m: CreditMovement): Cell[] {
  return ['credit', m.keyId, m.idempotencyKey, m.amountNanos, m.reason, m.at];
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
    default:
      return dialect === 'sqlite'
        ? "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')"
        : "to_char(to_timestamp(created_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
  }
}
