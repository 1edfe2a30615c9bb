// TeamRecord <-> table row, shared by the sqlite and postgres stores (both keep the same columns).
import type { TeamRecord } from '../types.js';
import { type Cell, EU_COLUMNS, euToRow, type KeyRow, num, rowBudgets, rowEndUserLimits } from './key-rows.js';

/** Team ids are prefixed so a ledger credit row's account column tells a team from a key. */
export const TEAM_PREFIX = 'team_';
export const isTeamId = (id: string) => id.startsWith(TEAM_PREFIX);

export const TEAM_COLUMNS = [
  'id',
  'name',
  'credits',
  'budget_daily',
  'budget_monthly',
  'budget_total',
  'rpm',
  'tpm',
  'max_concurrency',
  'tags',
  'enabled',
  'created_at',
  ...EU_COLUMNS,
] as const;

export function teamToRow(t: TeamRecord): Cell[] {
  return [
    t.id,
    t.name,
    t.credits ? 1 : 0,
    t.budgets.dailyNanos ?? null,
    t.budgets.monthlyNanos ?? null,
    t.budgets.totalNanos ?? null,
    t.rpm ?? null,
    t.tpm ?? null,
    t.maxConcurrency ?? null,
    JSON.stringify(t.tags),
    t.enabled ? 1 : 0,
    t.createdAt,
    ...euToRow(t.endUserLimits),
  ];
}

export function rowToTeam(r: KeyRow): TeamRecord {
  const t: TeamRecord = {
    id: String(r.id),
    name: String(r.name),
    credits: Number(r.credits) === 1,
    budgets: rowBudgets(r),
    tags: JSON.parse(String(r.tags)) as string[],
    enabled: Number(r.enabled) === 1,
    createdAt: Number(r.created_at),
  };
  const [rpm, tpm, conc] = [num(r.rpm), num(r.tpm), num(r.max_concurrency)];
  if (rpm !== undefined) t.rpm = rpm;
  if (tpm !== undefined) t.tpm = tpm;
  if (conc !== undefined) t.maxConcurrency = conc;
  const eu = rowEndUserLimits(r);
  if (eu) t.endUserLimits = eu;
  return t;
}
