import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { callRow } from '../../src/accounts/store/ledger-rows.js';
import { batchWriter, type LedgerWriteRow, type LedgerWriteSql } from '../../src/accounts/store/ledger-writer.js';
import { SQLITE_MIGRATIONS } from '../../src/accounts/store/sqlite-schema.js';
import { SqliteStore } from '../../src/accounts/store/sqlite-store.js';
import { callEntry, expectAttemptsAfterUpgrade, keyRecord } from './helpers.js';
import { runStoreConformance } from './store-conformance.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-acct-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreConformance({ name: 'sqlite', open: async () => new SqliteStore(path.join(dir, 'conformance.db')) });

/** A database file at migration `upTo`, holding one call row (42 nano-USD) written by that schema. */
function oldDatabase(name: string, upTo: number, keyId: string, requestId: string): string {
  const file = path.join(dir, name);
  const old = new Database(file);
  old.exec('CREATE TABLE migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of SQLITE_MIGRATIONS.filter((x) => x.id <= upTo)) {
    old.exec(m.sql);
    old.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, 0)').run(m.id, m.name);
  }
  old
    .prepare(
      `INSERT INTO ledger (kind, key_id, request_id, model, input_tokens, output_tokens, cost_nanos, created_at)
       VALUES ('call', ?, ?, 'gpt-test', 10, 5, 42, ?)`,
    )
    .run(keyId, requestId, Date.now());
  old.close();
  return file;
}

describe('sqlite migrations', () => {
  it('a database of the first schema gains client_request_id and keeps its rows readable', async () => {
    const file = oldDatabase('old.db', 1, 'key_old', 'client-chosen-id');

    const store = new SqliteStore(file);
    try {
      expect((await store.spend({ groupBy: 'key' })).find((r) => r.group === 'key_old')).toMatchObject({
        requests: 1,
        costNanos: 42n,
      });
      // The old row's client-chosen request id no longer blocks a new call's row.
      const { key } = keyRecord();
      await store.insertKey(key);
      await store.settle(
        { id: 'gw-1', keyId: key.id, amountNanos: 0n, tokens: 0 },
        { ...callEntry(key.id, 'gw-1', 7n, 0n), clientRequestId: 'client-chosen-id' },
      );
      await store.flush();
      expect((await store.spend({ groupBy: 'key' })).find((r) => r.group === key.id)?.requests).toBe(1);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('a database at migration 6 gains the attempts column and keeps its rows (their attempts unknown)', async () => {
    const file = oldDatabase('v6.db', 6, 'key_v6', 'gw-v6');

    const store = new SqliteStore(file);
    try {
      await expectAttemptsAfterUpgrade(store);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const ids = db.prepare('SELECT id FROM migrations ORDER BY id').all() as { id: number }[];
      expect(ids.map((r) => r.id)).toEqual(SQLITE_MIGRATIONS.map((m) => m.id));
    } finally {
      db.close();
    }
  });
});

describe('sqlite ledger commits off the main thread', () => {
  /** Settles `n` calls of `key`, 1 nano-USD each, and commits them (a batch of `every` per flush). */
  async function settleCalls(store: SqliteStore, keyId: string, from: number, n: number, every = 200): Promise<void> {
    for (let i = from; i < from + n; i++) {
      await store.settle(
        { id: `ck-${i}`, keyId, payer: 'key', amountNanos: 0n, tokens: 0 },
        callEntry(keyId, `ck-${i}`, 1n, 1n),
      );
      if (i % every === every - 1) await store.flush();
    }
    await store.flush();
  }
  const internals = (store: SqliteStore) =>
    store as unknown as { db: Database.Database; writer?: { kill(): Promise<number>; pending: number } };
  const autocheckpoint = (store: SqliteStore) =>
    Number(internals(store).db.pragma('wal_autocheckpoint', { simple: true }));
  /** A key with prepaid credits of `nanos`. */
  async function creditedKey(store: SqliteStore, nanos: bigint) {
    const { key } = keyRecord({ credits: true });
    await store.insertKey(key, { keyId: key.id, amountNanos: nanos, idempotencyKey: 'c1', reason: 'top-up', at: 1 });
    return key;
  }
  const balance = (store: SqliteStore, keyId: string) =>
    internals(store).db.prepare('SELECT balance_nanos AS b FROM keys WHERE id = ?').get(keyId) as { b: bigint };

  it('a writer thread commits and checkpoints the ledger while the main connection never does; all rows land', async () => {
    const file = path.join(dir, 'checkpoints.db');
    const store = new SqliteStore(file);
    try {
      const key = await creditedKey(store, 1_000_000n);
      await settleCalls(store, key.id, 0, 200);
      expect(internals(store).writer).toBeDefined();
      expect(autocheckpoint(store)).toBe(0);
      const before = statSync(file).size;
      // Enough commits for the WAL to pass SQLite's 1,000-page default a few times over: only a checkpoint moves
      // them into the database file, and this connection no longer runs one.
      await settleCalls(store, key.id, 200, 3000, 10);
      await expect.poll(() => statSync(file).size, { timeout: 15_000, interval: 100 }).toBeGreaterThan(before);
      expect((await store.spend({ groupBy: 'key' })).find((r) => r.group === key.id)?.requests).toBe(3200);
      expect(balance(store, key.id).b).toBe(1_000_000n - 3200n);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('the writer dying with a batch in flight loses no row; this thread commits from then on', async () => {
    // Killed right after a batch is posted, before or while the thread writes it: the batch comes back and is
    // written here.
    for (let round = 0; round < 12; round++) {
      const store = new SqliteStore(path.join(dir, `writer-lost-${round}.db`));
      try {
        const key = await creditedKey(store, 1_000_000n);
        await settleCalls(store, key.id, 0, 10);
        for (let i = 10; i < 60; i++) {
          await store.settle(
            { id: `ck-${i}`, keyId: key.id, payer: 'key', amountNanos: 0n, tokens: 0 },
            callEntry(key.id, `ck-${i}`, 1n, 1n),
          );
        }
        const flushed = store.flush(); // the batch of 50 goes to the thread
        await new Promise((r) => setTimeout(r, round % 4)); // then the thread dies, sooner or later
        await internals(store).writer?.kill();
        await flushed;
        await expect.poll(() => autocheckpoint(store), { timeout: 10_000 }).toBe(1000);
        expect(internals(store).writer).toBeUndefined();
        await settleCalls(store, key.id, 60, 10);
        expect((await store.spend({ groupBy: 'key' })).find((r) => r.group === key.id)?.requests).toBe(70);
        expect(balance(store, key.id).b).toBe(1_000_000n - 70n);
        expect((await store.verify()).ok).toBe(true);
      } finally {
        await store.close();
      }
    }
  });

  it('a batch written again (the thread died after committing it, before answering) inserts and debits nothing', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const key = await creditedKey(store, 1_000n);
      const { db, writeSql } = store as unknown as { db: Database.Database; writeSql: LedgerWriteSql };
      const write = batchWriter(db, writeSql); // what the thread runs, on the same SQL
      const row = (id: string, debit: bigint): LedgerWriteRow => [
        callRow(callEntry(key.id, id, debit)),
        key.id,
        false,
        debit,
      ];
      write([row('w1', 10n), row('w2', 20n)]);
      write([row('w1', 10n), row('w2', 20n), row('w3', 30n)]); // the first two again, one new
      const calls = db.prepare("SELECT COUNT(*) FROM ledger WHERE kind = 'call'").pluck().get();
      expect(calls).toBe(3n);
      expect(balance(store, key.id).b).toBe(1_000n - 60n);
    } finally {
      await store.close();
    }
  });

  it('an in-memory store starts no thread', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const { key } = keyRecord();
      await store.insertKey(key);
      await settleCalls(store, key.id, 0, 5);
      expect((store as unknown as { writer?: unknown }).writer).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
