// Ledger: filter, page through (newest first, keyset pages), export the same rows as CSV, open one call.
import { useState } from 'preact/hooks';
import { ErrorBanner, Field, Select, useLoad, when } from '../components/ui.js';
import { admin, adminHref, type Page } from '../lib/api.js';
import { attemptsCell, attemptsText } from '../lib/attempts.js';
import { money } from '../lib/money.js';
import { type LedgerFilters, ledgerQuery } from '../lib/query.js';
import type { LedgerEntry } from '../lib/types.js';

const PAGE = 50;

export function Ledger({ initial }: { initial: LedgerFilters }) {
  const [draft, setDraft] = useState(initial);
  const [filters, setFilters] = useState(initial);
  /** cursors of the pages before this one; the last is this page's */
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [open, setOpen] = useState<LedgerEntry | null>(null);
  const before = cursors[cursors.length - 1];
  const page = useLoad(
    () => admin.get<Page<LedgerEntry>>(`/ledger${ledgerQuery(filters, { limit: PAGE, before })}`),
    [filters, before],
  );
  const set = (k: keyof LedgerFilters) => (v: string) => setDraft({ ...draft, [k]: v });
  const apply = (e: Event) => {
    e.preventDefault();
    setFilters(draft);
    setCursors([undefined]);
  };
  return (
    <section aria-labelledby="ledger-h">
      <h1 id="ledger-h">Ledger</h1>
      <form class="card filters" onSubmit={apply} aria-label="Ledger filters">
        <div class="row3">
          <Field label="Key id" value={draft.key_id} onInput={set('key_id')} />
          <Field label="Team id" value={draft.team_id} onInput={set('team_id')} />
          <Field label="Provider" value={draft.provider} onInput={set('provider')} />
          <Field label="Model" value={draft.model} onInput={set('model')} />
          <Field label="End user" value={draft.end_user} onInput={set('end_user')} />
          <Field label="Tag" value={draft.tag} onInput={set('tag')} />
          <Field label="From (UTC day)" value={draft.from} onInput={set('from')} type="date" />
          <Field label="To (UTC day, inclusive)" value={draft.to} onInput={set('to')} type="date" />
          <Select
            label="Kind"
            value={draft.kind}
            onChange={set('kind')}
            options={[
              ['', 'Calls and credits'],
              ['call', 'Calls'],
              ['credit', 'Credits'],
            ]}
          />
        </div>
        <div class="actions">
          <button type="submit">Apply filters</button>
          <a class="button" href={adminHref(`/ledger${ledgerQuery(filters, { format: 'csv' })}`)} download="ledger.csv">
            Export CSV
          </a>
        </div>
      </form>
      <ErrorBanner error={page.error} />
      {page.loading && !page.data && <p aria-busy="true">Loading…</p>}
      {page.data && <LedgerTable rows={page.data.data} onOpen={setOpen} />}
      <nav class="pager" aria-label="Ledger pages">
        <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <span>Page {cursors.length}</span>
        <button
          type="button"
          disabled={!page.data?.has_more}
          onClick={() => setCursors([...cursors, page.data?.next_before ?? undefined])}
        >
          Older
        </button>
      </nav>
      {open && <CallDetails row={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

function LedgerTable({ rows, onOpen }: { rows: LedgerEntry[]; onOpen: (r: LedgerEntry) => void }) {
  if (rows.length === 0) return <p class="muted">No ledger rows match.</p>;
  return (
    <div class="table-wrap">
      <table class="ledger">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Kind</th>
            <th scope="col">Key</th>
            <th scope="col">Provider / model</th>
            <th scope="col" class="num">
              Tokens in / out
            </th>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col" class="num" title="Upstream calls the request took (retries, fallbacks, hedges)">
              Attempts
            </th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq ?? r.request_id}>
              <td>
                <button
                  type="button"
                  class="link"
                  onClick={() => onOpen(r)}
                  aria-label={`Open ${r.kind} of ${when(r.created_at)}`}
                >
                  {when(r.created_at)}
                </button>
              </td>
              <td>{r.kind}</td>
              <td class="mono">{r.key_id}</td>
              <td>{r.kind === 'call' ? `${r.provider ?? '—'} / ${r.model ?? '—'}` : (r.reason ?? '')}</td>
              <td class="num">{r.kind === 'call' ? `${r.input_tokens} / ${r.output_tokens}` : ''}</td>
              <td class="num">{r.kind === 'call' ? money(r.cost_usd) : `+${money(r.amount_usd)}`}</td>
              <td class="num">{r.kind === 'call' ? attemptsCell(r.attempts) : ''}</td>
              <td>{r.kind === 'call' ? (r.error_class ?? r.outcome ?? '') : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CallDetails({ row, onClose }: { row: LedgerEntry; onClose: () => void }) {
  const fields: [string, string][] =
    row.kind === 'call'
      ? [
          ['Request id', row.request_id ?? '—'],
          ['Client request id', row.client_request_id ?? '—'],
          ['Time (UTC)', when(row.created_at)],
          ['Duration', row.duration_ms == null ? '—' : `${row.duration_ms} ms`],
          ['Key', row.key_id],
          ['Team', row.team_id ?? '—'],
          ['Paid by', row.payer ?? '—'],
          ['End user', row.end_user ?? '—'],
          ['Tags', row.tags?.join(', ') || '—'],
          ['Provider', row.provider ?? '—'],
          ['Model', row.model ?? '—'],
          ['Input tokens', String(row.input_tokens ?? 0)],
          ['… of which cache reads', String(row.cache_read_tokens ?? 0)],
          ['… of which cache writes', String(row.cache_write_tokens ?? 0)],
          ['Output tokens', String(row.output_tokens ?? 0)],
          ['… of which reasoning', String(row.reasoning_tokens ?? 0)],
          ['Usage reported by', row.usage_source ?? '—'],
          ['Cost', `${money(row.cost_usd)} (${row.cost_usd} USD)${row.unknown_price ? ', price unknown' : ''}`],
          ['Debited', money(row.debit_usd)],
          ['Outcome', row.outcome === 'error' ? `error: ${row.error_class ?? 'unknown'}` : (row.outcome ?? '—')],
          ['Attempts', attemptsText(row.attempts)],
          ['Cache hit', row.cache_hit ? `yes, saved ${money(row.saved_usd)}` : 'no'],
        ]
      : [
          ['Time (UTC)', when(row.created_at)],
          ['Account', row.key_id],
          ['Amount', `${money(row.amount_usd)} (${row.amount_usd} USD)`],
          ['Reason', row.reason ?? '—'],
          ['Idempotency key', row.idempotency_key ?? '—'],
        ];
  return (
    <div class="dialog-backdrop">
      <div
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="call-h"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        <h2 id="call-h">{row.kind === 'call' ? 'Call' : 'Credit movement'}</h2>
        <dl class="summary">
          {fields.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={onClose} ref={(b) => b?.focus()}>
          Close
        </button>
      </div>
    </div>
  );
}
