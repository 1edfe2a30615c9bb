// SQL of the admin ledger listing and the spend time series, shared by the sqlite and postgres stores. Only the
// placeholder style and two expressions differ per dialect; every value is a bound parameter, never spliced in.
import type { LedgerQuery, SpendGroup, SpendSeriesQuery } from '../types.js';
import { groupExpr } from './ledger-rows.js';

export type Dialect = 'sqlite' | 'postgres';

/** The newest rows first; keyset pagination on `seq` (stable while rows are appended). */
export function ledgerSql(q: LedgerQuery, dialect: Dialect): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [];
  const p = (v: string | number) => {
    params.push(v);
    return dialect === 'sqlite' ? '?' : `$${params.length}`;
  };
  const where: string[] = [];
  const eq = (col: string, v: string | undefined) => {
    if (v !== undefined) where.push(`${col} = ${p(v)}`);
  };
  eq('kind', q.kind);
  eq('key_id', q.keyId);
  eq('team_id', q.teamId);
  eq('provider', q.provider);
  eq('model', q.model);
  eq('end_user', q.endUser);
  eq('request_id', q.requestId);
  eq('outcome', q.outcome);
  if (q.tag !== undefined) {
    where.push(
      dialect === 'sqlite'
        ? `EXISTS (SELECT 1 FROM json_each(ledger.tags) WHERE value = ${p(q.tag)})`
        : `(tags IS NOT NULL AND tags::jsonb @> jsonb_build_array(${p(q.tag)}::text))`,
    );
  }
  if (q.from !== undefined) where.push(`created_at >= ${p(q.from)}`);
  if (q.to !== undefined) where.push(`created_at < ${p(q.to)}`);
  if (q.before !== undefined) where.push(`seq < ${p(q.before)}`);
  const cond = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  // One more than asked: tells whether a next page exists without a COUNT.
  return { sql: `SELECT * FROM ledger ${cond} ORDER BY seq DESC LIMIT ${p(q.limit + 1)}`, params };
}

/** The rows a spend report reads: one row per tag of a call when grouping by tag (untagged calls once, under ''). */
export function spendSource(g: SpendGroup, dialect: Dialect): string {
  if (g !== 'tag') return 'ledger';
  return dialect === 'sqlite'
    ? '(SELECT l.*, t.value AS tag FROM ledger l LEFT JOIN json_each(l.tags) t)'
    : '(SELECT l.*, t.tag FROM ledger l LEFT JOIN LATERAL jsonb_array_elements_text(l.tags::jsonb) AS t(tag) ON true) x';
}

/** Calls, errors and cost per (time bucket, group): integer bucket arithmetic, UTC. */
export function spendSeriesSql(q: SpendSeriesQuery, dialect: Dialect): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [];
  // Integers must bind as integers: sqlite receives JS numbers as REAL, and REAL division is not a bucket.
  const mark = (int: boolean) => (v: string | number) => {
    params.push(v);
    if (dialect === 'sqlite') return int ? 'CAST(? AS INTEGER)' : '?';
    return int ? `$${params.length}::bigint` : `$${params.length}`;
  };
  const p = mark(true);
  const text = mark(false);
  const bucket = `(created_at / ${p(q.bucketMs)}) * ${p(q.bucketMs)}`;
  const from = p(q.from);
  const to = p(q.to);
  const team = q.teamId !== undefined ? `AND team_id = ${text(q.teamId)}` : '';
  const sql = `SELECT ${bucket} AS bucket, ${groupExpr(q.groupBy, dialect)} AS grp, COUNT(*) AS requests,
      SUM(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END) AS errors, COALESCE(SUM(cost_nanos), 0) AS cost
    FROM ${spendSource(q.groupBy, dialect)} WHERE kind = 'call' AND created_at >= ${from} AND created_at < ${to} ${team}
    GROUP BY bucket, grp ORDER BY bucket, grp`;
  return { sql, params };
}
