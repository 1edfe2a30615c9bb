// The SQLite ledger's group commits, off the request thread. A commit of the batch a busy gateway gathers in its
// 20 ms window (tens to hundreds of rows, each a row plus six index entries) took ~14 µs of the main thread per
// request at c=32, while every request in flight waited; SQLite's automatic WAL checkpoint ran inside some of those
// commits too (5–20 ms each). A worker thread with its own connection now runs the same transaction, checkpoints
// included; the main thread only builds each row's cells and posts the batch.
//
// Nothing is lost with the thread: a batch stays with the caller until the thread says it committed. If the
// thread fails a batch, or dies with batches in flight, those come back (`done(false)`) and the caller writes them
// itself. Writing a batch twice is harmless: a request id's row is inserted once (ON CONFLICT DO NOTHING) and only
// a row that was inserted debits its account.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Cell } from './key-rows.js';

/** A call row's cells, the account its debit leaves, whether that account is a team, and the debit. */
export type LedgerWriteRow = [cells: Cell[], account: string, team: boolean, debitNanos: bigint];

export interface LedgerWriteSql {
  insert: string;
  debit: string;
  debitTeam: string;
}

/**
 * One transaction for a batch: each row inserted (a repeated request id is skipped), debits summed per account so a
 * busy key costs one UPDATE per batch. Self-contained (no imports, no outer names): its source also runs in the
 * writer thread.
 */
export function batchWriter(db: Database.Database, sql: LedgerWriteSql): (rows: readonly LedgerWriteRow[]) => void {
  const insert = db.prepare(sql.insert);
  const debit = db.prepare(sql.debit);
  const debitTeam = db.prepare(sql.debitTeam);
  return db.transaction((rows: readonly LedgerWriteRow[]) => {
    const debits = new Map<string, { team: boolean; nanos: bigint }>();
    for (const [cells, account, team, nanos] of rows) {
      if (insert.run(...cells).changes !== 1 || nanos === 0n) continue;
      const d = debits.get(account);
      if (d) d.nanos += nanos;
      else debits.set(account, { team, nanos });
    }
    for (const [account, d] of debits) (d.team ? debitTeam : debit).run(d.nanos, account);
  });
}

// Plain CommonJS run with `eval`: nothing to compile, so the same code runs from the built dist and from source.
// The connection keeps SQLite's automatic checkpoint: it runs inside this thread's commits, never the main one's.
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = ' + workerData.synchronous);
const write = (${batchWriter.toString()})(db, workerData.sql);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    write(m.rows);
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (err) {
    parentPort.postMessage({ id: m.id, ok: false, error: String((err && err.message) || err) });
  }
});
`;

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');
/** How long `stop` waits for the batches in flight before terminating the thread. */
const STOP_WAIT_MS = 5_000;

export interface WriterEvents {
  /** The thread could not commit a batch (it comes back through `done(false)`). */
  onError(message: string): void;
  /** The thread is gone without `stop`; batches in flight have come back through `done(false)`. */
  onLost(why: string): void;
}

export interface WriterOptions {
  file: string;
  synchronous: 'NORMAL' | 'FULL';
  sql: LedgerWriteSql;
}

export class LedgerWriter {
  private readonly worker: Worker;
  /** Batches posted and not yet answered, in posting order (the thread answers in that order). */
  private readonly inFlight = new Map<number, (committed: boolean) => void>();
  private nextId = 0;
  private stopping = false;
  private lost = false;

  constructor(opts: WriterOptions, events: WriterEvents) {
    this.worker = new Worker(WORKER_CODE, {
      eval: true,
      workerData: { file: opts.file, driver: DRIVER, synchronous: opts.synchronous, sql: opts.sql },
    });
    this.worker.unref(); // held (ref) only while a batch is in flight
    this.worker.on('message', (m: { id: number; ok: boolean; error?: string }) => {
      const done = this.inFlight.get(m.id);
      this.inFlight.delete(m.id);
      if (this.inFlight.size === 0) this.worker.unref();
      if (!m.ok) events.onError(m.error ?? 'unknown error');
      done?.(m.ok);
    });
    const gone = (why: string) => {
      if (this.stopping || this.lost) return;
      this.lost = true;
      events.onLost(why);
      this.giveBack();
    };
    this.worker.on('error', (err) => gone(err.message));
    this.worker.on('exit', (code) => gone(`exited with code ${code}`));
  }

  /** False once the thread is gone or stopping: the caller writes on its own connection. */
  get usable(): boolean {
    return !this.lost && !this.stopping;
  }

  /** Batches posted and not yet answered. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** Posts a batch; `done(true)` once it is committed, `done(false)` if the caller must write it. */
  write(rows: readonly LedgerWriteRow[], done: (committed: boolean) => void): void {
    if (!this.usable) {
      done(false);
      return;
    }
    const id = this.nextId++;
    if (this.inFlight.size === 0) this.worker.ref();
    this.inFlight.set(id, done);
    this.worker.postMessage({ id, rows });
  }

  /** Ends the thread once the batches in flight are answered (terminated if that takes longer than a few seconds). */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.lost) return;
    const exited = once(this.worker, 'exit');
    this.worker.postMessage('stop'); // queued behind the batches in flight, which are answered first
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_WAIT_MS);
    });
    if ((await Promise.race([exited, late])) === 'late') await this.worker.terminate();
    clearTimeout(timer);
    this.giveBack(); // anything still unanswered (terminated mid-batch)
  }

  /** Every batch not answered comes back to be written by the caller, in posting order. */
  private giveBack(): void {
    const back = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const done of back) done(false);
  }

  /** For tests: end the thread as a crash would. */
  kill(): Promise<number> {
    return this.worker.terminate();
  }
}
