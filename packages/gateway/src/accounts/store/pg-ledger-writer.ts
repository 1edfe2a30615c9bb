// Group commit of call rows to postgres: rows queue on the response path and are written every few ms, one
// statement per batch that inserts the rows (a duplicate request id is ignored) and debits the stored balances.
// A failed write keeps the rows and retries, so a postgres blip delays the ledger but loses nothing. A batch that
// postgres refuses for its DATA (SQLSTATE class 22/23, e.g. a cost beyond BIGINT) is written row by row and the bad
// row goes to `ledger_quarantine`: one row can neither block the others nor be retried forever.
import type pg from 'pg';
import type { CallEntry } from '../types.js';
import { CALL_COLUMNS, callRow, entryJson } from './ledger-rows.js';

const BATCH_ROWS = 500; // 500 × 26 parameters stays far below postgres' 65,535
const RETRY_MS = 1000;

/** Postgres refused the values themselves (data exception, integrity): retrying the same row cannot succeed. */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code.startsWith('22') || code.startsWith('23');
  // Raised by the client while serialising a parameter (never reached the server).
  return err instanceof RangeError || err instanceof TypeError;
}

export class PgLedgerWriter {
  private pending: CallEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  quarantined = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly flushMs: number,
    private readonly log?: { warn(obj: object, msg: string): void },
  ) {}

  push(entry: CallEntry): void {
    this.pending.push(entry);
    this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
  }

  /** Resolves once every row pushed so far is committed (or the write failed and a retry is scheduled). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(async () => {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, BATCH_ROWS);
        try {
          await this.writeOrSplit(batch);
        } catch (err) {
          this.pending.unshift(...batch);
          this.log?.warn(
            { err: (err as Error).message, rows: this.pending.length },
            'accounts ledger write failed; retrying',
          );
          this.timer ??= setTimeout(() => void this.flush(), RETRY_MS);
          return;
        }
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length > 0) {
      this.log?.warn({ rows: this.pending.length }, 'accounts ledger rows not written at shutdown');
    }
  }

  /** The batch; on a data error each row alone, quarantining the ones postgres refuses. Other errors propagate. */
  private async writeOrSplit(batch: CallEntry[]): Promise<void> {
    try {
      await this.write(batch);
      return;
    } catch (err) {
      if (!isDataError(err)) throw err;
    }
    for (let i = 0; i < batch.length; i++) {
      const row = batch[i] as CallEntry;
      try {
        await this.write([row]);
      } catch (err) {
        if (!isDataError(err)) {
          // Connection trouble part-way: keep the rest (this row included) for the retry.
          batch.splice(0, i);
          throw err;
        }
        await this.quarantine(row, err as Error);
      }
    }
  }

  private async quarantine(e: CallEntry, err: Error): Promise<void> {
    this.quarantined++;
    this.log?.warn({ err: err.message, keyId: e.keyId, requestId: e.requestId }, 'accounts ledger row quarantined');
    await this.pool.query(
      'INSERT INTO ledger_quarantine (key_id, request_id, entry, error, created_at) VALUES ($1, $2, $3, $4, $5)',
      [e.keyId, e.requestId, entryJson(e), err.message, Date.now()],
    );
  }

  private async write(batch: CallEntry[]): Promise<void> {
    const n = CALL_COLUMNS.length;
    const values = batch
      .map((_, i) => `(${Array.from({ length: n }, (_, j) => `$${i * n + j + 1}`).join(', ')})`)
      .join(', ');
    await this.pool.query(
      // each debit leaves its payer's stored balance: the key's own, or its team's pool
      `WITH ins AS (INSERT INTO ledger (${CALL_COLUMNS.join(', ')}) VALUES ${values} ON CONFLICT DO NOTHING
         RETURNING key_id, team_id, payer, debit_nanos),
       d AS (SELECT CASE WHEN payer = 'team' THEN team_id ELSE key_id END AS acct, SUM(debit_nanos) AS s
         FROM ins GROUP BY 1),
       dk AS (UPDATE keys k SET balance_nanos = k.balance_nanos - d.s FROM d
         WHERE k.id = d.acct AND k.balance_nanos IS NOT NULL RETURNING 1)
       UPDATE teams t SET balance_nanos = t.balance_nanos - d.s FROM d WHERE t.id = d.acct AND t.balance_nanos IS NOT NULL`,
      batch.flatMap(callRow),
    );
  }
}
