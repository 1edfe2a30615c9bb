// Ledger filters as the page holds them → the admin API's query string (empty fields left out, dates as UTC days,
// the `to` day inclusive).
export interface LedgerFilters {
  key_id: string;
  team_id: string;
  provider: string;
  model: string;
  end_user: string;
  tag: string;
  kind: '' | 'call' | 'credit';
  /** YYYY-MM-DD (UTC), inclusive */
  from: string;
  to: string;
}

export const emptyFilters = (): LedgerFilters => ({
  key_id: '',
  team_id: '',
  provider: '',
  model: '',
  end_user: '',
  tag: '',
  kind: '',
  from: '',
  to: '',
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function ledgerQuery(f: LedgerFilters, extra: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const k of ['key_id', 'team_id', 'provider', 'model', 'end_user', 'tag', 'kind'] as const) {
    const v = f[k].trim();
    if (v) q.set(k, v);
  }
  if (DAY.test(f.from)) q.set('from', `${f.from}T00:00:00Z`);
  if (DAY.test(f.to)) q.set('to', `${nextDay(f.to)}T00:00:00Z`);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Which filters a query string sets (for links into the ledger, e.g. a key's calls). */
export function filtersFrom(search: string): LedgerFilters {
  const q = new URLSearchParams(search);
  const f = emptyFilters();
  for (const k of ['key_id', 'team_id', 'provider', 'model', 'end_user', 'tag'] as const) f[k] = q.get(k) ?? '';
  const kind = q.get('kind');
  if (kind === 'call' || kind === 'credit') f.kind = kind;
  return f;
}
