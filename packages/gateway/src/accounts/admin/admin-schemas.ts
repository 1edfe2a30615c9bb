// Input of the admin API (and the CLI, which builds the same JSON from argv). USD: decimal string or number.
import { z } from 'zod';
import { parseUsd } from '../money.js';
import type { CreateKeyInput, CreateTeamInput } from '../service.js';
import type { Budgets, EndUserLimits, KeyPatch, TeamPatch } from '../types.js';

const isUsd = (v: string | number) => {
  try {
    parseUsd(v);
    return true;
  } catch {
    return false;
  }
};

const usd = z
  .union([z.string(), z.number()])
  .refine(isUsd, 'must be a USD amount: a decimal string like "12.50" or a number, at most 9 decimals')
  .transform(parseUsd);
const nonNegUsd = usd.refine((n) => n >= 0n, 'must not be negative');
const limit = z.number().int().positive();
const when = z
  .union([z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time'), z.number().int()])
  .transform((v) => (typeof v === 'number' ? v * 1000 : Date.parse(v)));

const budgets = z
  .object({ daily_usd: nonNegUsd.nullish(), monthly_usd: nonNegUsd.nullish(), total_usd: nonNegUsd.nullish() })
  .strict()
  .transform((b) => ({
    ...(b.daily_usd != null ? { dailyNanos: b.daily_usd } : {}),
    ...(b.monthly_usd != null ? { monthlyNanos: b.monthly_usd } : {}),
    ...(b.total_usd != null ? { totalNanos: b.total_usd } : {}),
  }));

/** PATCH budgets merge into the current ones: a given field replaces, `null` removes, an absent one stays. */
const budgetsPatch = z
  .object({ daily_usd: nonNegUsd.nullish(), monthly_usd: nonNegUsd.nullish(), total_usd: nonNegUsd.nullish() })
  .strict()
  .transform((b) => {
    const out: { [K in keyof Budgets]?: bigint | null } = {};
    if (b.daily_usd !== undefined) out.dailyNanos = b.daily_usd;
    if (b.monthly_usd !== undefined) out.monthlyNanos = b.monthly_usd;
    if (b.total_usd !== undefined) out.totalNanos = b.total_usd;
    return out;
  });

export function mergeBudgets(cur: Budgets, patch: { [K in keyof Budgets]?: bigint | null }): Budgets {
  const next: Budgets = { ...cur };
  for (const k of Object.keys(patch) as (keyof Budgets)[]) {
    const v = patch[k];
    if (v === null || v === undefined) delete next[k];
    else next[k] = v;
  }
  return next;
}

/** `end_user_budgets` on create: the limits each end user of the team (or team-less key) gets. */
const endUserFields = {
  daily_usd: nonNegUsd.nullish(),
  monthly_usd: nonNegUsd.nullish(),
  total_usd: nonNegUsd.nullish(),
  rpm: limit.nullish(),
};
type EndUserFields = { [K in keyof typeof endUserFields]?: z.output<(typeof endUserFields)[K]> };

const BUDGET_FIELDS = [
  ['daily_usd', 'dailyNanos'],
  ['monthly_usd', 'monthlyNanos'],
  ['total_usd', 'totalNanos'],
] as const;

/** The limits left once `patch` is applied on `cur`: a given field replaces, `null` removes, absent stays. */
export function mergeEndUserLimits(cur: EndUserLimits | undefined, patch: EndUserFields): EndUserLimits | undefined {
  const budgets: Budgets = { ...cur?.budgets };
  for (const [from, to] of BUDGET_FIELDS) {
    const v = patch[from];
    if (v === null) delete budgets[to];
    else if (v !== undefined) budgets[to] = v;
  }
  const rpm = patch.rpm === undefined ? cur?.rpm : (patch.rpm ?? undefined);
  if (rpm === undefined && Object.keys(budgets).length === 0) return undefined;
  return { budgets, ...(rpm !== undefined ? { rpm } : {}) };
}

const endUserBudgets = z
  .object(endUserFields)
  .strict()
  .transform((b) => mergeEndUserLimits(undefined, b));

/** PATCH: `null` removes every end-user limit; an object merges field by field (`null` removes one). */
export const endUserBudgetsPatch = z.object(endUserFields).strict().nullable();

export const createKeySchema = z
  .object({
    name: z.string().min(1).max(200),
    credits_usd: nonNegUsd.optional(),
    budgets: budgets.optional(),
    models: z.array(z.string().min(1)).optional(),
    rpm: limit.optional(),
    tpm: limit.optional(),
    max_concurrency: limit.optional(),
    expires_at: when.optional(),
    tags: z.array(z.string()).optional(),
    team_id: z.string().min(1).max(100).optional(),
    end_user_budgets: endUserBudgets.optional(),
  })
  .strict()
  .refine((b) => b.team_id === undefined || b.end_user_budgets === undefined, {
    message: "a team's keys use the team's end_user_budgets: set them on the team",
    path: ['end_user_budgets'],
  })
  .transform((b): CreateKeyInput => {
    const out: CreateKeyInput = { name: b.name };
    if (b.credits_usd !== undefined) out.creditsNanos = b.credits_usd;
    if (b.budgets) out.budgets = b.budgets;
    if (b.models) out.models = b.models;
    if (b.rpm !== undefined) out.rpm = b.rpm;
    if (b.tpm !== undefined) out.tpm = b.tpm;
    if (b.max_concurrency !== undefined) out.maxConcurrency = b.max_concurrency;
    if (b.expires_at !== undefined) out.expiresAt = b.expires_at;
    if (b.tags) out.tags = b.tags;
    if (b.team_id !== undefined) out.teamId = b.team_id;
    if (b.end_user_budgets) out.endUserLimits = b.end_user_budgets;
    return out;
  });

export const createTeamSchema = z
  .object({
    name: z.string().min(1).max(200),
    credits_usd: nonNegUsd.optional(),
    budgets: budgets.optional(),
    rpm: limit.optional(),
    tpm: limit.optional(),
    max_concurrency: limit.optional(),
    tags: z.array(z.string().max(100)).max(50).optional(),
    end_user_budgets: endUserBudgets.optional(),
  })
  .strict()
  .transform((b): CreateTeamInput => {
    const out: CreateTeamInput = { name: b.name };
    if (b.credits_usd !== undefined) out.creditsNanos = b.credits_usd;
    if (b.budgets) out.budgets = b.budgets;
    if (b.rpm !== undefined) out.rpm = b.rpm;
    if (b.tpm !== undefined) out.tpm = b.tpm;
    if (b.max_concurrency !== undefined) out.maxConcurrency = b.max_concurrency;
    if (b.tags) out.tags = b.tags;
    if (b.end_user_budgets) out.endUserLimits = b.end_user_budgets;
    return out;
  });

/** PATCH a team: like keys, a field set to null removes that limit; credits move only through /credits. */
export const patchTeamSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    budgets: budgetsPatch.optional(),
    rpm: limit.nullable().optional(),
    tpm: limit.nullable().optional(),
    max_concurrency: limit.nullable().optional(),
    tags: z.array(z.string().max(100)).max(50).optional(),
    enabled: z.boolean().optional(),
    end_user_budgets: endUserBudgetsPatch.optional(),
  })
  .strict()
  .transform((b) => {
    const p: Record<string, unknown> = {};
    const map: [keyof typeof b, keyof TeamPatch][] = [
      ['name', 'name'],
      ['rpm', 'rpm'],
      ['tpm', 'tpm'],
      ['max_concurrency', 'maxConcurrency'],
      ['tags', 'tags'],
      ['enabled', 'enabled'],
    ];
    for (const [from, to] of map) if (from in b) p[to] = b[from] ?? undefined;
    return { patch: p as TeamPatch, budgets: b.budgets, endUserBudgets: b.end_user_budgets };
  });

/** PATCH: a field set to null removes that limit. Credits move only through /credits (ledgered). */
export const patchKeySchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    budgets: budgetsPatch.optional(),
    models: z.array(z.string().min(1)).optional(),
    rpm: limit.nullable().optional(),
    tpm: limit.nullable().optional(),
    max_concurrency: limit.nullable().optional(),
    expires_at: when.nullable().optional(),
    tags: z.array(z.string()).optional(),
    enabled: z.boolean().optional(),
    end_user_budgets: endUserBudgetsPatch.optional(),
  })
  .strict()
  .transform((b) => {
    const p: Record<string, unknown> = {};
    const map: [keyof typeof b, keyof KeyPatch][] = [
      ['name', 'name'],
      ['models', 'models'],
      ['rpm', 'rpm'],
      ['tpm', 'tpm'],
      ['max_concurrency', 'maxConcurrency'],
      ['expires_at', 'expiresAt'],
      ['tags', 'tags'],
      ['enabled', 'enabled'],
    ];
    for (const [from, to] of map) if (from in b) p[to] = b[from] ?? undefined;
    return { patch: p as KeyPatch, budgets: b.budgets, endUserBudgets: b.end_user_budgets };
  });

export const creditsSchema = z
  .object({
    amount_usd: usd.refine((n) => n !== 0n, 'must not be zero'),
    reason: z.string().min(1).max(500),
    idempotency_key: z.string().min(1).max(200),
  })
  .strict();

export const spendSchema = z.object({
  group_by: z.enum(['key', 'provider', 'model', 'day', 'team', 'end_user', 'tag']).default('key'),
  team_id: z.string().min(1).max(100).optional(),
  from: when.optional(),
  to: when.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export const statementSchema = z
  .object({
    from: when.optional(),
    to: when.optional(),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM')
      .optional(),
    format: z.enum(['json', 'csv', 'html']).default('json'),
  })
  .strict();

/** GET …/end-users: a page of end users in order; `after` is the last one of the previous page. */
export const endUsersSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    after: z.string().min(1).max(256).optional(),
  })
  .strict();

const filter = z.string().min(1).max(200).optional();
const intParam = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

/** Rows per JSON page, and per CSV export (one export is one bounded read). */
export const LEDGER_PAGE_MAX = 1000;
export const LEDGER_CSV_MAX = 100_000;

/** GET /v1/ledger: every filter optional; `before` is the `next_before` of the previous page. */
export const ledgerSchema = z
  .object({
    kind: z.enum(['call', 'credit']).optional(),
    key_id: filter,
    team_id: filter,
    provider: filter,
    model: filter,
    end_user: filter,
    tag: filter,
    outcome: z.enum(['ok', 'error']).optional(),
    from: when.optional(),
    to: when.optional(),
    before: intParam(1, Number.MAX_SAFE_INTEGER).optional(),
    limit: intParam(1, LEDGER_CSV_MAX).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict()
  .refine((q) => q.format === 'csv' || (q.limit ?? 0) <= LEDGER_PAGE_MAX, {
    message: `must be at most ${LEDGER_PAGE_MAX} (CSV: ${LEDGER_CSV_MAX})`,
    path: ['limit'],
  });

export const SERIES_INTERVAL_MS = { hour: 3_600_000, day: 86_400_000 } as const;
/** Buckets one series may span: bounds the rows read and returned. */
export const SERIES_MAX_BUCKETS = 1000;

/** GET /v1/spend/series: calls, errors and cost per hour or day (UTC) and group. */
export const spendSeriesSchema = z
  .object({
    group_by: z.enum(['key', 'provider', 'model', 'team', 'end_user', 'tag']).default('provider'),
    interval: z.enum(['hour', 'day']).default('day'),
    team_id: z.string().min(1).max(100).optional(),
    from: when.optional(),
    to: when.optional(),
  })
  .strict();
