// Flag values to admin API JSON fields, shared by `keys` and `teams`.
type FlagValue = string | boolean | undefined;

export const str = (v: FlagValue) => (typeof v === 'string' ? v : undefined);

/** numbers stay strings when not numeric, so the admin schema reports the bad value */
export const int = (v: FlagValue) =>
  typeof v === 'string' ? (v === 'none' ? null : /^\d+$/.test(v) ? Number(v) : v) : undefined;

export const list = (v: FlagValue) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

/** `--daily/--monthly/--total` as the admin API's `budgets` object; undefined when none was given. */
export function budgetsOf(v: Record<string, FlagValue>): Record<string, string> | undefined {
  const budgets = Object.fromEntries(
    [
      ['daily_usd', str(v.daily)],
      ['monthly_usd', str(v.monthly)],
      ['total_usd', str(v.total)],
    ].filter(([, x]) => x !== undefined),
  );
  return Object.keys(budgets).length ? budgets : undefined;
}

/** `--end-user-daily/-monthly/-total/-rpm` as `end_user_budgets`; `none` removes one (on update). */
export function endUserBudgetsOf(v: Record<string, FlagValue>): Record<string, string | number | null> | undefined {
  const usd = (x: FlagValue) => (x === 'none' ? null : str(x));
  const out = Object.fromEntries(
    [
      ['daily_usd', usd(v['end-user-daily'])],
      ['monthly_usd', usd(v['end-user-monthly'])],
      ['total_usd', usd(v['end-user-total'])],
      ['rpm', int(v['end-user-rpm'])],
    ].filter(([, x]) => x !== undefined),
  );
  return Object.keys(out).length ? out : undefined;
}

/** parseArgs specs of the end-user flags, shared by `keys` and `teams`. */
export const endUserOptions = {
  'end-user-daily': { type: 'string' },
  'end-user-monthly': { type: 'string' },
  'end-user-total': { type: 'string' },
  'end-user-rpm': { type: 'string' },
} as const;

/** `--limit/--after` of an `end-users` listing as its query. */
export function pageQuery(v: Record<string, FlagValue>): Record<string, string> {
  const q: Record<string, string> = {};
  const limit = str(v.limit);
  const after = str(v.after);
  if (limit !== undefined) q.limit = limit;
  if (after !== undefined) q.after = after;
  return q;
}
