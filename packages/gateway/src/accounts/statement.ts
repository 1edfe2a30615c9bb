// A team's statement for a period, computed from its ledger rows alone (integer nano-USD, so the totals equal the
// ledger to the nano): opening balance, credits, spend by provider / model / key / end user / tag, pool debits and
// closing balance. Rendered as JSON, CSV or printable HTML (every value escaped).
import { formatUsd } from './money.js';
import type { LedgerRow, TeamRecord } from './types.js';

export type StatementGroup = 'provider' | 'model' | 'key' | 'end_user' | 'tag';
const GROUPS: StatementGroup[] = ['provider', 'model', 'key', 'end_user', 'tag'];

export interface Statement {
  team: TeamRecord;
  from: number;
  to: number;
  openingNanos: bigint;
  creditsNanos: bigint;
  /** cost of every call of the team's keys (whoever paid) */
  spendNanos: bigint;
  /** what left the team's pool (calls the team paid) */
  poolDebitNanos: bigint;
  closingNanos: bigint;
  calls: number;
  /** per group: name → cost. A call with several tags counts under each; an untagged one under '' */
  by: Record<StatementGroup, Map<string, bigint>>;
}

/** `rows` are the team's ledger rows from the beginning up to `to` (rows before `from` make the opening balance). */
export function buildStatement(team: TeamRecord, rows: LedgerRow[], from: number, to: number): Statement {
  const s: Statement = {
    team,
    from,
    to,
    openingNanos: 0n,
    creditsNanos: 0n,
    spendNanos: 0n,
    poolDebitNanos: 0n,
    closingNanos: 0n,
    calls: 0,
    by: { provider: new Map(), model: new Map(), key: new Map(), end_user: new Map(), tag: new Map() },
  };
  for (const r of rows) {
    if (r.createdAt >= to) continue;
    const credit = r.kind === 'credit' && r.keyId === team.id ? r.amountNanos : 0n;
    const debit = r.kind === 'call' && r.payer === 'team' ? r.debitNanos : 0n;
    if (r.createdAt < from) {
      s.openingNanos += credit - debit;
      continue;
    }
    s.creditsNanos += credit;
    s.poolDebitNanos += debit;
    if (r.kind !== 'call') continue;
    s.calls++;
    s.spendNanos += r.costNanos;
    const add = (g: StatementGroup, name: string) => s.by[g].set(name, (s.by[g].get(name) ?? 0n) + r.costNanos);
    add('provider', r.provider ?? '');
    add('model', r.model ?? '');
    add('key', r.keyId);
    add('end_user', r.endUser ?? '');
    for (const t of r.tags.length > 0 ? r.tags : ['']) add('tag', t);
  }
  s.closingNanos = s.openingNanos + s.creditsNanos - s.poolDebitNanos;
  return s;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function statementJson(s: Statement) {
  const groups = Object.fromEntries(
    GROUPS.map((g) => [
      g,
      [...s.by[g].entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, n]) => ({ name, cost_usd: formatUsd(n) })),
    ]),
  );
  return {
    object: 'statement',
    team_id: s.team.id,
    team_name: s.team.name,
    from: iso(s.from),
    to: iso(s.to),
    opening_balance_usd: formatUsd(s.openingNanos),
    credits_usd: formatUsd(s.creditsNanos),
    spend_usd: formatUsd(s.spendNanos),
    pool_debits_usd: formatUsd(s.poolDebitNanos),
    closing_balance_usd: formatUsd(s.closingNanos),
    calls: s.calls,
    spend_by: groups,
  };
}

const csvCell = (v: string | number) => {
  const str = String(v);
  return /[",\n\r]/.test(str) ? `"${str.replaceAll('"', '""')}"` : str;
};

/** One line per figure: `section,name,usd` — the same numbers as the JSON. */
export function statementCsv(s: Statement): string {
  const lines = ['section,name,usd'];
  const put = (section: string, name: string, n: bigint) =>
    lines.push([section, name, formatUsd(n)].map(csvCell).join(','));
  put('summary', 'opening_balance', s.openingNanos);
  put('summary', 'credits', s.creditsNanos);
  put('summary', 'spend', s.spendNanos);
  put('summary', 'pool_debits', s.poolDebitNanos);
  put('summary', 'closing_balance', s.closingNanos);
  for (const g of GROUPS) {
    for (const [name, n] of [...s.by[g].entries()].sort(([a], [b]) => a.localeCompare(b)))
      put(`spend_by_${g}`, name, n);
  }
  return `${lines.join('\n')}\n`;
}

const esc = (v: string) =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A self-contained printable page (no scripts, no external assets). */
export function statementHtml(s: Statement): string {
  const row = (a: string, b: bigint) => `<tr><td>${esc(a)}</td><td class="n">$${esc(formatUsd(b))}</td></tr>`;
  const sections = GROUPS.map((g) => {
    const rows = [...s.by[g].entries()].sort(([a], [b]) => a.localeCompare(b)).map(([n, v]) => row(n || '(none)', v));
    return `<h2>Spend by ${esc(g.replace('_', ' '))}</h2><table>${rows.join('')}</table>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Statement ${esc(s.team.name)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;min-width:24rem}
td{border-bottom:1px solid #ddd;padding:.25rem .5rem}td.n{text-align:right;font-variant-numeric:tabular-nums}
@media print{body{margin:0}}</style></head><body>
<h1>Statement: ${esc(s.team.name)}</h1>
<p>Team ${esc(s.team.id)} · ${esc(iso(s.from))} to ${esc(iso(s.to))} · ${s.calls} calls</p>
<table>${row('Opening balance', s.openingNanos)}${row('Credits', s.creditsNanos)}${row('Spend (all calls)', s.spendNanos)}${row('Paid from the pool', s.poolDebitNanos)}${row('Closing balance', s.closingNanos)}</table>
${sections}
</body></html>
`;
}

/** `2026-11` → [start, end) of that UTC month. */
export function monthRange(month: string): { from: number; to: number } | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return undefined;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (mo < 1 || mo > 12) return undefined;
  return { from: Date.UTC(y, mo - 1, 1), to: Date.UTC(y, mo, 1) };
}
