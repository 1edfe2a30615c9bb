// Embedded single-instance store: admission state lives in memory (MemoryState), keys and the append-only ledger
// in SQLite. Settles are group-committed: queued on the response path, written every few ms in ONE transaction,
// by a writer thread for a database file (ledger-writer.ts), on this thread for an in-memory one.
// WAL + synchronous=NORMAL: a commit survives a process crash (SIGKILL) — the WAL is in the OS page cache —
// and only an OS crash / power loss can lose the last few ms of commits (never corrupt). `?synchronous=full`
// trades ~1 fsync per batch for power-loss durability too.
import Database from 'better-sqlite3';
import { parseEndUserAccount } from '../end-users.js';
import { dayKey, monthKey, startOfDay, startOfMonth } from '../periods.js';
import type {
  AccountStore,
  CallEntry,
  CreditMovement,
  EndUserQuery,
  EndUserSpend,
  KeyPatch,
  KeyRecord,
  LedgerPage,
  LedgerQuery,
  LedgerRow,
  Reservation,
  ReserveRequest,
  SpendQuery,
  SpendRow,
  SpendSeriesQuery,
  SpendSeriesRow,
  TeamPatch,
  TeamRecord,
  VerifyResult,
} from '../types.js';
import { applyPatch, KEY_COLUMNS, type KeyRow, keyToRow, rowToKey } from './key-rows.js';
import { ledgerSql, spendSeriesSql, spendSource } from './ledger-query.js';
import {
  CALL_COLUMNS,
  CREDIT_COLUMNS,
  callRow,
  creditRow,
  DERIVED_BALANCE,
  debitAccount,
  endUserSpendRow,
  endUserSpendSql,
  entryJson,
  groupExpr,
  ledgerPage,
  rowToLedger,
  seriesRow,
} from './ledger-rows.js';
import { batchWriter, type LedgerWriteRow, LedgerWriter, type LedgerWriteSql } from './ledger-writer.js';
import { type AccountState, MemoryState } from './memory-state.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { isTeamId, rowToTeam, TEAM_COLUMNS, teamToRow } from './team-rows.js';

export interface SqliteOptions {
  /** group-commit interval (default 20 ms) */
  flushMs?: number;
  synchronous?: 'normal' | 'full';
  log?: { warn(obj: object, msg: string): void };
}

/** A batch this large commits at once rather than waiting for the timer (bounds the batch and its memory). */
const MAX_BATCH = 512;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const writeRow = ({ entry }: { entry: CallEntry }): LedgerWriteRow => {
  const account = debitAccount(entry);
  return [callRow(entry), account, isTeamId(account), entry.debitNanos];
};

export function parseSqliteUrl(url: string): { file: string; synchronous: 'normal' | 'full' } {
  const rest = url.replace(/^sqlite:(\/\/)?/, '');
  const [file = '', query = ''] = rest.split('?');
  const sync = new URLSearchParams(query).get('synchronous') === 'full' ? 'full' : 'normal';
  return { file: file || './switchyard.db', synchronous: sync };
}

export class SqliteStore implements AccountStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly mem: MemoryState;
  private pending: { res: Reservation; entry: CallEntry }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private readonly flushMs: number;
  private readonly tpmOf = new Map<string, number | undefined>();
  private readonly stmt;
  private readonly writeSql: LedgerWriteSql;
  /** Writes a batch on this thread's connection: an in-memory database, or the writer thread's fallback. */
  private readonly writeBatch: (rows: readonly LedgerWriteRow[]) => void;
  private readonly log: SqliteOptions['log'];
  private quarantinedRows = 0;
  /** Commits on a worker thread (ledger-writer.ts); started by the first batch, for file databases. */
  private writer: LedgerWriter | undefined;
  /** The writer thread died: this thread commits (and checkpoints) from then on. */
  private writerLost = false;
  private readonly synchronous: 'NORMAL' | 'FULL';
  private readonly fileBacked: boolean;

  constructor(
    private readonly file: string,
    opts: SqliteOptions = {},
  ) {
    this.flushMs = opts.flushMs ?? 20;
    this.log = opts.log;
    this.fileBacked = file !== '' && file !== ':memory:' && !file.startsWith('file::memory:');
    this.db = new Database(file);
    this.db.defaultSafeIntegers(true);
    this.db.pragma('journal_mode = WAL');
    this.synchronous = opts.synchronous === 'full' ? 'FULL' : 'NORMAL';
    this.db.pragma(`synchronous = ${this.synchronous}`);
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    const db = this.db;
    this.stmt = {
      insertKey: db.prepare(
        `INSERT INTO keys (${KEY_COLUMNS.join(', ')}, balance_nanos) VALUES (${placeholders(KEY_COLUMNS.length + 1)})`,
      ),
      byHash: db.prepare('SELECT * FROM keys WHERE hash = ?'),
      byId: db.prepare('SELECT * FROM keys WHERE id = ?'),
      all: db.prepare('SELECT * FROM keys ORDER BY created_at, id'),
      count: db.prepare('SELECT COUNT(*) AS n FROM keys'),
      update: db.prepare(
        `UPDATE keys SET ${KEY_COLUMNS.slice(1)
          .map((c) => `${c} = ?`)
          .join(', ')} WHERE id = ?`,
      ),
      insertCredit: db.prepare(
        `INSERT INTO ledger (${CREDIT_COLUMNS.join(', ')}) VALUES (${placeholders(CREDIT_COLUMNS.length)}) ON CONFLICT DO NOTHING`,
      ),
      credit: db.prepare('UPDATE keys SET balance_nanos = COALESCE(balance_nanos, 0) + ?, credits = 1 WHERE id = ?'),
      balance: db.prepare('SELECT balance_nanos FROM keys WHERE id = ?'),
      spentSince: db.prepare(
        "SELECT COALESCE(SUM(cost_nanos), 0) AS s FROM ledger WHERE kind = 'call' AND key_id = ? AND created_at >= ?",
      ),
      quarantine: db.prepare(
        'INSERT INTO ledger_quarantine (key_id, request_id, entry, error, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      quarantineCount: db.prepare('SELECT COUNT(*) AS n FROM ledger_quarantine'),
      derived: db.prepare(`SELECT k.id, k.balance_nanos AS stored, ${DERIVED_BALANCE} AS derived FROM keys k
          UNION ALL SELECT k.id, k.balance_nanos, ${DERIVED_BALANCE} FROM teams k`),
      insertTeam: db.prepare(
        `INSERT INTO teams (${TEAM_COLUMNS.join(', ')}, balance_nanos) VALUES (${placeholders(TEAM_COLUMNS.length + 1)})`,
      ),
      teamById: db.prepare('SELECT * FROM teams WHERE id = ?'),
      allTeams: db.prepare('SELECT * FROM teams ORDER BY created_at, id'),
      updateTeam: db.prepare(
        `UPDATE teams SET ${TEAM_COLUMNS.slice(1)
          .map((c) => `${c} = ?`)
          .join(', ')} WHERE id = ?`,
      ),
      creditTeam: db.prepare(
        'UPDATE teams SET balance_nanos = COALESCE(balance_nanos, 0) + ?, credits = 1 WHERE id = ?',
      ),
      teamBalance: db.prepare('SELECT balance_nanos FROM teams WHERE id = ?'),
      teamSpentSince: db.prepare(
        "SELECT COALESCE(SUM(cost_nanos), 0) AS s FROM ledger WHERE kind = 'call' AND team_id = ? AND created_at >= ?",
      ),
      // an end user's spend within its team (or team-less key): calls of that team's keys naming it
      teamEndUserSpentSince: db.prepare(
        "SELECT COALESCE(SUM(cost_nanos), 0) AS s FROM ledger WHERE kind = 'call' AND end_user = ? AND team_id = ? AND created_at >= ?",
      ),
      keyEndUserSpentSince: db.prepare(
        "SELECT COALESCE(SUM(cost_nanos), 0) AS s FROM ledger WHERE kind = 'call' AND end_user = ? AND key_id = ? AND created_at >= ?",
      ),
      teamEndUsers: db.prepare(endUserSpendSql('team_id', () => '?')),
      keyEndUsers: db.prepare(endUserSpendSql('key_id', () => '?')),
      claimAlert: db.prepare(
        'INSERT INTO alert_claims (claim, created_at, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      pruneClaims: db.prepare('DELETE FROM alert_claims WHERE expires_at < ?'),
      credited: db.prepare(
        // Only credit rows have an idempotency key: the UNIQUE (key_id, idempotency_key) index finds just them.
        'SELECT COALESCE(SUM(amount_nanos), 0) AS s FROM ledger WHERE key_id = ? AND idempotency_key IS NOT NULL',
      ),
      teamLedger: db.prepare(
        'SELECT * FROM ledger WHERE team_id = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, seq',
      ),
    };
    this.mem = new MemoryState((id, now) => this.loadAccount(id, now));
    this.writeSql = {
      insert: `INSERT INTO ledger (${CALL_COLUMNS.join(', ')}) VALUES (${placeholders(CALL_COLUMNS.length)}) ON CONFLICT DO NOTHING`,
      debit: 'UPDATE keys SET balance_nanos = balance_nanos - ? WHERE id = ? AND balance_nanos IS NOT NULL',
      debitTeam: 'UPDATE teams SET balance_nanos = balance_nanos - ? WHERE id = ? AND balance_nanos IS NOT NULL',
    };
    this.writeBatch = batchWriter(db, this.writeSql);
  }

  private migrate(): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const done = new Set(
      (this.db.prepare('SELECT id FROM migrations').all() as { id: bigint }[]).map((r) => Number(r.id)),
    );
    for (const m of SQLITE_MIGRATIONS) {
      if (done.has(m.id)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        this.db.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, Date.now());
      })();
    }
  }

  /** A key's, a team's or an end user's admission state, from the stored balance and the ledger. */
  private loadAccount(keyId: string, now: number): AccountState {
    const eu = parseEndUserAccount(keyId);
    if (eu) {
      const q = isTeamId(eu.scope) ? this.stmt.teamEndUserSpentSince : this.stmt.keyEndUserSpentSince;
      return this.fromSpend(null, (since) => (q.get(eu.endUser, eu.scope, since) as { s: bigint }).s, now);
    }
    const team = isTeamId(keyId);
    const row = (team ? this.stmt.teamBalance : this.stmt.balance).get(keyId) as
      | { balance_nanos: bigint | null }
      | undefined;
    const spentQ = team ? this.stmt.teamSpentSince : this.stmt.spentSince;
    const spent = (since: number) => (spentQ.get(keyId, since) as { s: bigint }).s;
    return this.fromSpend(row?.balance_nanos ?? null, spent, now);
  }

  private fromSpend(balance: bigint | null, spent: (since: number) => bigint, now: number): AccountState {
    return {
      balance,
      reserved: 0n,
      spentTotal: spent(0),
      day: dayKey(now),
      spentDay: spent(startOfDay(now)),
      month: monthKey(now),
      spentMonth: spent(startOfMonth(now)),
      open: new Map(),
    };
  }

  async insertKey(key: KeyRecord, initialCredit?: CreditMovement): Promise<void> {
    this.db.transaction(() => {
      this.stmt.insertKey.run(...keyToRow(key), key.credits ? 0n : null);
      if (initialCredit) this.applyCredit(initialCredit);
    })();
    this.tpmOf.set(key.id, key.tpm);
  }

  async findKeyByHash(hash: string): Promise<KeyRecord | undefined> {
    const r = this.stmt.byHash.get(hash) as KeyRow | undefined;
    return r && rowToKey(r);
  }

  async getKey(id: string): Promise<KeyRecord | undefined> {
    const r = this.stmt.byId.get(id) as KeyRow | undefined;
    return r && rowToKey(r);
  }

  async listKeys(): Promise<KeyRecord[]> {
    return (this.stmt.all.all() as KeyRow[]).map(rowToKey);
  }

  async countKeys(): Promise<number> {
    return Number((this.stmt.count.get() as { n: bigint }).n);
  }

  async updateKey(id: string, patch: KeyPatch): Promise<KeyRecord | undefined> {
    const cur = await this.getKey(id);
    if (!cur) return undefined;
    const next = applyPatch(cur, patch);
    this.stmt.update.run(...keyToRow(next).slice(1), id);
    this.tpmOf.set(id, next.tpm);
    return next;
  }

  async addCredits(m: CreditMovement): Promise<{ applied: boolean }> {
    const applied = this.db.transaction(() => this.applyCredit(m))();
    if (applied) this.mem.credit(m.keyId, m.amountNanos);
    return { applied };
  }

  private applyCredit(m: CreditMovement): boolean {
    if (this.stmt.insertCredit.run(...creditRow(m)).changes === 0) return false;
    (isTeamId(m.keyId) ? this.stmt.creditTeam : this.stmt.credit).run(m.amountNanos, m.keyId);
    return true;
  }

  async insertTeam(team: TeamRecord, initialCredit?: CreditMovement): Promise<void> {
    this.db.transaction(() => {
      this.stmt.insertTeam.run(...teamToRow(team), team.credits ? 0n : null);
      if (initialCredit) this.applyCredit(initialCredit);
    })();
    this.tpmOf.set(team.id, team.tpm);
  }

  async getTeam(id: string): Promise<TeamRecord | undefined> {
    const r = this.stmt.teamById.get(id) as KeyRow | undefined;
    return r && rowToTeam(r);
  }

  async listTeams(): Promise<TeamRecord[]> {
    return (this.stmt.allTeams.all() as KeyRow[]).map(rowToTeam);
  }

  async updateTeam(id: string, patch: TeamPatch): Promise<TeamRecord | undefined> {
    const cur = await this.getTeam(id);
    if (!cur) return undefined;
    const next = applyPatch<TeamRecord>(cur, patch);
    this.stmt.updateTeam.run(...teamToRow(next).slice(1), id);
    this.tpmOf.set(id, next.tpm);
    return next;
  }

  async teamLedger(teamId: string, from: number, to: number): Promise<LedgerRow[]> {
    await this.flush();
    return (this.stmt.teamLedger.all(teamId, from, to) as KeyRow[]).map(rowToLedger);
  }

  async endUsers(q: EndUserQuery): Promise<EndUserSpend[]> {
    await this.flush();
    const stmt = isTeamId(q.scope) ? this.stmt.teamEndUsers : this.stmt.keyEndUsers;
    const rows = stmt.all(q.dayStart, q.monthStart, q.scope, q.after ?? '', q.limit) as Record<string, unknown>[];
    return rows.map(endUserSpendRow);
  }

  async reserve(r: ReserveRequest) {
    this.tpmOf.set(r.key.id, r.key.tpm);
    if (r.team) this.tpmOf.set(r.team.id, r.team.tpm);
    return this.mem.reserve(r);
  }

  async settle(res: Reservation, entry: CallEntry): Promise<void> {
    this.mem.settle(res, entry, this.tpmLimit, entry.settledAt);
    this.pending.push({ res, entry });
    if (this.pending.length >= MAX_BATCH) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.commit();
      return;
    }
    this.timer ??= setTimeout(() => this.commit(), this.flushMs);
  }

  async release(res: Reservation): Promise<void> {
    this.mem.release(res, this.tpmLimit, Date.now());
  }

  private readonly tpmLimit = (id: string) => this.tpmOf.get(id);

  async reapExpired(now: number): Promise<number> {
    return this.mem.reapAll(now);
  }

  async usage(keyId: string, now: number) {
    return this.mem.usage(keyId, now);
  }

  /**
   * One transaction for the whole batch (a duplicate request id is ignored and not debited twice), in the writer
   * thread for a database file. Runs from a timer, so it never throws. `flush` waiters are answered once the batch
   * is in the ledger: batches are written in order, so every one before it is too.
   */
  private commit(): void {
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    const waiters = this.waiters;
    this.waiters = [];
    const inLedger = this.mem.settles; // every settle so far is in this batch or an earlier one
    const rows = batch.map(writeRow); // built once: for the writer, and here if it hands the batch back
    const written = (byWriter: boolean) => {
      if (!byWriter) this.writeHere(batch, rows);
      // idle end users settled in this batch or before can reload from the ledger now
      if (batch.length > 0) this.mem.evictIdleEndUsers(Date.now(), inLedger);
      for (const w of waiters) w();
    };
    const writer = batch.length > 0 ? this.ledgerWriter() : this.writer;
    // An empty batch with waiters still goes through a busy writer: answered after the batches ahead of it.
    if (writer?.usable && (batch.length > 0 || writer.pending > 0)) writer.write(rows, written);
    else written(false);
  }

  /**
   * The writer thread, started by the first batch of a database file (store commands that only read, the CLI's,
   * never start one). This connection's automatic checkpoint is off while it lives: the writer's connection
   * checkpoints inside its own commits. If the thread dies, this connection commits and checkpoints again.
   */
  private ledgerWriter(): LedgerWriter | undefined {
    if (this.writer || this.writerLost || !this.fileBacked) return this.writer;
    this.db.pragma('wal_autocheckpoint = 0');
    this.writer = new LedgerWriter(
      { file: this.file, synchronous: this.synchronous, sql: this.writeSql },
      {
        onError: (message) => this.log?.warn({ err: message }, 'accounts ledger batch failed in the writer thread'),
        onLost: (why) => {
          this.writerLost = true;
          this.writer = undefined;
          if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
          this.log?.warn({ why }, 'accounts ledger writer thread gone; committing on the main thread');
        },
      },
    );
    return this.writer;
  }

  /** The batch on this thread's connection; if it fails, each row alone (see `writeAlone`). */
  private writeHere(batch: readonly { entry: CallEntry }[], rows: readonly LedgerWriteRow[]): void {
    if (batch.length === 0) return;
    try {
      this.writeBatch(rows);
    } catch {
      for (let i = 0; i < batch.length; i++) {
        this.writeAlone((batch[i] as { entry: CallEntry }).entry, rows[i] as LedgerWriteRow);
      }
    }
  }

  /**
   * A row that fails alone (e.g. a cost beyond 64 bits) goes to `ledger_quarantine`, counted and reported by
   * `ledger verify`.
   */
  private writeAlone(e: CallEntry, row: LedgerWriteRow): void {
    try {
      this.writeBatch([row]);
    } catch (err) {
      this.quarantinedRows++;
      const message = (err as Error).message ?? String(err);
      this.log?.warn({ err: message, keyId: e.keyId, requestId: e.requestId }, 'accounts ledger row quarantined');
      try {
        this.stmt.quarantine.run(e.keyId, e.requestId, entryJson(e), message, Date.now());
      } catch (qErr) {
        this.log?.warn({ err: (qErr as Error).message, requestId: e.requestId }, 'accounts quarantine write failed');
      }
    }
  }

  /** Ledger rows this process could not write and quarantined (for the metric). */
  quarantined(): number {
    return this.quarantinedRows;
  }

  async claimAlert(claim: string, at: number, expiresAt?: number): Promise<boolean> {
    return this.stmt.claimAlert.run(claim, at, expiresAt ?? null).changes === 1;
  }

  async pruneAlertClaims(now: number): Promise<number> {
    return this.stmt.pruneClaims.run(now).changes;
  }

  async creditedNanos(accountId: string): Promise<bigint> {
    return (this.stmt.credited.get(accountId) as { s: bigint }).s;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0 && !this.writer?.pending) return;
    await new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.commit(), 0);
    });
  }

  async listLedger(q: LedgerQuery): Promise<LedgerPage> {
    await this.flush();
    const { sql, params } = ledgerSql(q, 'sqlite');
    return ledgerPage(this.db.prepare(sql).all(...params) as KeyRow[], q.limit);
  }

  async spendSeries(q: SpendSeriesQuery): Promise<SpendSeriesRow[]> {
    await this.flush();
    const { sql, params } = spendSeriesSql(q, 'sqlite');
    return (this.db.prepare(sql).all(...params) as KeyRow[]).map(seriesRow);
  }

  async spend(q: SpendQuery): Promise<SpendRow[]> {
    await this.flush();
    const g = groupExpr(q.groupBy, 'sqlite');
    const source = spendSource(q.groupBy, 'sqlite');
    const rows = this.db
      .prepare(
        `SELECT ${g} AS grp, COUNT(*) AS requests, SUM(input_tokens) AS inp, SUM(output_tokens) AS outp,
           SUM(cost_nanos) AS cost FROM ${source} WHERE kind = 'call' AND created_at >= ? AND created_at < ?
           ${q.teamId !== undefined ? 'AND team_id = ?' : ''} GROUP BY grp ORDER BY grp`,
      )
      .all(q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, ...(q.teamId !== undefined ? [q.teamId] : [])) as Record<
      string,
      bigint | string
    >[];
    return rows.map((r) => ({
      group: String(r.grp),
      requests: Number(r.requests),
      inputTokens: Number(r.inp),
      outputTokens: Number(r.outp),
      costNanos: BigInt(r.cost ?? 0),
    }));
  }

  async verify(): Promise<VerifyResult> {
    await this.flush();
    const rows = this.stmt.derived.all() as { id: string; stored: bigint | null; derived: bigint }[];
    const mismatches = [];
    for (const r of rows) {
      const stored = r.stored ?? 0n;
      const live = this.mem.liveBalance(r.id);
      if (stored !== r.derived || (live !== undefined && (live ?? 0n) !== stored)) {
        mismatches.push({
          keyId: r.id,
          storedNanos: stored,
          ledgerNanos: r.derived,
          ...(live != null ? { liveNanos: live } : {}),
        });
      }
    }
    const quarantined = Number((this.stmt.quarantineCount.get() as { n: bigint }).n);
    return { ok: mismatches.length === 0 && quarantined === 0, keysChecked: rows.length, mismatches, quarantined };
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    await this.writer?.stop(); // a batch it could not answer comes back here and is written below
    this.db.close();
  }
}
