// Postgres migrations (under an advisory lock), the spend report queries and the admin ledger listing.
import type pg from 'pg';
import type { LedgerPage, LedgerQuery, SpendQuery, SpendRow, SpendSeriesQuery, SpendSeriesRow } from '../types.js';
import type { KeyRow } from './key-rows.js';
import { ledgerSql, spendSeriesSql, spendSource } from './ledger-query.js';
import { groupExpr, ledgerPage, seriesRow } from './ledger-rows.js';
import { PG_MIGRATIONS } from './postgres-schema.js';

const LOCK_ID = 7_700_201;

export async function pgMigrate(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await c.query(
      'CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const { rows } = await c.query('SELECT id FROM migrations');
    const done = new Set(rows.map((r: { id: number }) => Number(r.id)));
    for (const m of PG_MIGRATIONS) {
      if (done.has(m.id)) continue;
      await c.query('BEGIN');
      try {
        await c.query(m.sql);
        await c.query('INSERT INTO migrations (id, name, applied_at) VALUES ($1, $2, $3)', [m.id, m.name, Date.now()]);
        await c.query('COMMIT');
      } catch (err) {
        await c.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await c.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => {});
    c.release();
  }
}

export async function pgSpend(pool: pg.Pool, q: SpendQuery): Promise<SpendRow[]> {
  const g = groupExpr(q.groupBy, 'postgres');
  // one row per tag of a call (an untagged call counts once, under '')
  const source = spendSource(q.groupBy, 'postgres');
  const { rows } = await pool.query(
    `SELECT ${g} AS grp, COUNT(*)::int AS requests, COALESCE(SUM(input_tokens), 0) AS inp,
       COALESCE(SUM(output_tokens), 0) AS outp, COALESCE(SUM(cost_nanos), 0) AS cost
     FROM ${source} WHERE kind = 'call' AND created_at >= $1 AND created_at < $2
     ${q.teamId !== undefined ? 'AND team_id = $3' : ''} GROUP BY grp ORDER BY grp`,
    [q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, ...(q.teamId !== undefined ? [q.teamId] : [])],
  );
  return (rows as Record<string, string | number>[]).map((r) => ({
    group: String(r.grp),
    requests: Number(r.requests),
    inputTokens: Number(r.inp),
    outputTokens: Number(r.outp),
    costNanos: BigInt(r.cost ?? 0),
  }));
}

export async function pgLedger(pool: pg.Pool, q: LedgerQuery): Promise<LedgerPage> {
  const { sql, params } = ledgerSql(q, 'postgres');
  const { rows } = await pool.query(sql, params);
  return ledgerPage(rows as KeyRow[], q.limit);
}

export async function pgSpendSeries(pool: pg.Pool, q: SpendSeriesQuery): Promise<SpendSeriesRow[]> {
  const { sql, params } = spendSeriesSql(q, 'postgres');
  const { rows } = await pool.query(sql, params);
  return (rows as KeyRow[]).map(seriesRow);
}
