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
