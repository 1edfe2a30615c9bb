// KeyRecord <-> table row, shared by the sqlite and postgres stores (both keep the same columns).
import type { Budgets, EndUserLimits, KeyRecord } from '../types.js';

export type Cell = string | number | bigint | null;
export type KeyRow = Record<string, Cell>;

export const num = (v: Cell | undefined): number | undefined => (v === null || v === undefined ? undefined : Number(v));
export const big = (v: Cell | undefined): bigint | undefined => (v === null || v === undefined ? undefined : BigInt(v));

/** Per-end-user limits (migration 5), on keys and teams alike. */
export const EU_COLUMNS = ['eu_budget_daily', 'eu_budget_monthly', 'eu_budget_total', 'eu_rpm', 'eu_version'] as const;

export const euToRow = (l: EndUserLimits | undefined): Cell[] => [
  l?.budgets.dailyNanos ?? null,
  l?.budgets.monthlyNanos ?? null,
  l?.budgets.totalNanos ?? null,
  l?.rpm ?? null,
  l?.version ?? null,
];

/** undefined when the row carries no end-user limit */
export function rowEndUserLimits(r: KeyRow): EndUserLimits | undefined {
  const budgets: Budgets = {};
  const [d, m, t, rpm] = [big(r.eu_budget_daily), big(r.eu_budget_monthly), big(r.eu_budget_total), num(r.eu_rpm)];
  if (d !== undefined) budgets.dailyNanos = d;
  if (m !== undefined) budgets.monthlyNanos = m;
  if (t !== undefined) budgets.totalNanos = t;
  if (rpm === undefined && Object.keys(budgets).length === 0) return undefined;
  const version = num(r.eu_version);
  return { budgets, ...(rpm !== undefined ? { rpm } : {}), ...(version !== undefined ? { version } : {}) };
}

export const KEY_COLUMNS = [
  'id',
  'hash',
  'hint',
  'name',
  'credits',
  'budget_daily',
  'budget_monthly',
  'budget_total',
  'models',
  'rpm',
  'tpm',
  'max_concurrency',
  'tags',
  'enabled',
  'expires_at',
  'revoked_at',
  'created_at',
  'team_id',
  ...EU_COLUMNS,
] as const;

export function keyToRow(k: KeyRecord): Cell[] {
  return [
    k.id,
    k.hash,
    k.hint,
    k.name,
    k.credits ? 1 : 0,
    k.budgets.dailyNanos ?? null,
    k.budgets.monthlyNanos ?? null,
    k.budgets.totalNanos ?? null,
    JSON.stringify(k.models),
    k.rpm ?? null,
    k.tpm ?? null,
    k.maxConcurrency ?? null,
    JSON.stringify(k.tags),
    k.enabled ? 1 : 0,
    k.expiresAt ?? null,
    k.revokedAt ?? null,
    k.createdAt,
    k.teamId ?? null,
    ...euToRow(k.endUserLimits),
  ];
}

export function rowToKey(r: KeyRow): KeyRecord {
  const k: KeyRecord = {
    id: String(r.id),
    hash: String(r.hash),
    hint: String(r.hint),
    name: String(r.name),
    credits: Number(r.credits) === 1,
    budgets: {},
    models: JSON.parse(String(r.models)) as string[],
    tags: JSON.parse(String(r.tags)) as string[],
    enabled: Number(r.enabled) === 1,
    createdAt: Number(r.created_at),
  };
  const opt = { rpm: num(r.rpm), tpm: num(r.tpm), maxConcurrency: num(r.max_concurrency) };
  if (opt.rpm !== undefined) k.rpm = opt.rpm;
  if (opt.tpm !== undefined) k.tpm = opt.tpm;
  if (opt.maxConcurrency !== undefined) k.maxConcurrency = opt.maxConcurrency;
  if (r.team_id !== null && r.team_id !== undefined) k.teamId = String(r.team_id);
  const exp = num(r.expires_at);
  if (exp !== undefined) k.expiresAt = exp;
  const rev = num(r.revoked_at);
  if (rev !== undefined) k.revokedAt = rev;
  k.budgets = rowBudgets(r);
  const eu = rowEndUserLimits(r);
  if (eu) k.endUserLimits = eu;
  return k;
}

export function rowBudgets(r: KeyRow): Budgets {
  const b: Budgets = {};
  const [d, m, t] = [big(r.budget_daily), big(r.budget_monthly), big(r.budget_total)];
  if (d !== undefined) b.dailyNanos = d;
  if (m !== undefined) b.monthlyNanos = m;
  if (t !== undefined) b.totalNanos = t;
  return b;
}

/** Applies a patch to a record (undefined fields in the patch object are left alone; explicit removal uses null-ish). */
export function applyPatch<T extends { budgets: Budgets }>(k: T, p: Partial<T>): T {
  const next: T = { ...k, budgets: { ...k.budgets } };
  for (const [field, value] of Object.entries(p)) {
    if (!(field in p)) continue;
    if (value === undefined) delete (next as unknown as Record<string, unknown>)[field];
    else (next as unknown as Record<string, unknown>)[field] = value;
  }
  next.budgets ??= {};
  return next;
}
