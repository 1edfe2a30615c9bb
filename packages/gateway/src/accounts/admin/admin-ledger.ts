// /admin/v1/ledger (filtered, paginated listing and CSV export; one call by request id) and /admin/v1/spend/series
// (calls, errors and cost over time), for operators and the admin console.
import type { z } from 'zod';
import type { AccountsService } from '../service.js';
import type { LedgerQuery } from '../types.js';
import type { AdminResponse } from './admin-api.js';
import {
  LEDGER_PAGE_MAX,
  ledgerSchema,
  SERIES_INTERVAL_MS,
  SERIES_MAX_BUCKETS,
  spendSeriesSchema,
} from './admin-schemas.js';
import { ledgerCsv, ledgerRowView, seriesView } from './admin-views.js';

type Parse = <S extends z.ZodType>(schema: S, input: unknown) => z.output<S>;
type Err = (status: number, message: string, code: string | null, param?: string | null) => AdminResponse;

const DEFAULT_PAGE = 50;
const DEFAULT_CSV_ROWS = 10_000;

export async function routeLedger(
  service: AccountsService,
  requestId: string | undefined,
  query: Record<string, unknown> | undefined,
  parse: Parse,
  adminError: Err,
): Promise<AdminResponse> {
  if (requestId !== undefined) {
    const page = await service.ledger({ requestId, kind: 'call', limit: 1 });
    const row = page.rows[0];
    return row
      ? { status: 200, json: ledgerRowView(row) }
      : adminError(404, 'No call with that request id.', 'call_not_found', 'request_id');
  }
  const q = parse(ledgerSchema, query);
  if (q.from !== undefined && q.to !== undefined && q.to <= q.from) {
    return adminError(400, 'Invalid request: to must be after from', 'invalid_value', 'to');
  }
  const lq: LedgerQuery = { limit: q.limit ?? (q.format === 'csv' ? DEFAULT_CSV_ROWS : DEFAULT_PAGE) };
  const copy: [keyof typeof q, keyof LedgerQuery][] = [
    ['kind', 'kind'],
    ['key_id', 'keyId'],
    ['team_id', 'teamId'],
    ['provider', 'provider'],
    ['model', 'model'],
    ['end_user', 'endUser'],
    ['tag', 'tag'],
    ['outcome', 'outcome'],
    ['from', 'from'],
    ['to', 'to'],
    ['before', 'before'],
  ];
  for (const [from, to] of copy) if (q[from] !== undefined) Object.assign(lq, { [to]: q[from] });
  const page = await service.ledger(lq);
  if (q.format === 'csv') return { status: 200, csv: ledgerCsv(page.rows) };
  return {
    status: 200,
    json: {
      object: 'list',
      data: page.rows.map(ledgerRowView),
      has_more: page.nextBefore !== undefined,
      next_before: page.nextBefore ?? null,
      limit: Math.min(lq.limit, LEDGER_PAGE_MAX),
    },
  };
}

export async function spendSeries(
  service: AccountsService,
  query: Record<string, unknown> | undefined,
  parse: Parse,
  adminError: Err,
  now = Date.now(),
): Promise<AdminResponse> {
  const q = parse(spendSeriesSchema, query);
  const bucketMs = SERIES_INTERVAL_MS[q.interval];
  const to = q.to ?? now + 1;
  // Default span: 30 days of days, 48 hours of hours.
  const from = q.from ?? Math.floor((to - (q.interval === 'day' ? 30 : 48) * bucketMs) / bucketMs) * bucketMs;
  if (to <= from) return adminError(400, 'Invalid request: to must be after from', 'invalid_value', 'to');
  if ((to - from) / bucketMs > SERIES_MAX_BUCKETS) {
    return adminError(
      400,
      `Invalid request: from..to spans more than ${SERIES_MAX_BUCKETS} ${q.interval}s; narrow it or use a larger interval`,
      'invalid_value',
      'from',
    );
  }
  const rows = await service.spendSeries({
    groupBy: q.group_by,
    bucketMs,
    from,
    to,
    ...(q.team_id !== undefined && { teamId: q.team_id }),
  });
  return { status: 200, json: seriesView(q.group_by, q.interval, from, to, rows) };
}
