// SIGKILL a process that is settling calls on sqlite: after reopening, every entry it reported as committed is
// in the ledger, no reservation survives, and `ledger verify` passes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { ledgerVerifyCommand } from '../../src/accounts/cli/index.js';
import { createAccounts } from '../../src/accounts/index.js';
import { prices } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = fileURLToPath(new URL('./fixtures/settle-child.ts', import.meta.url));

it('no committed settle is lost to SIGKILL; ledger verify passes after restart', async () => {
  const file = path.join(dir, 'crash.db');
  const setup = await createAccounts({ store: `sqlite:${file}`, priceSource: prices });
  const { key, secret } = await setup.service.createKey({ name: 'crash', creditsNanos: 10n ** 12n });
  await setup.close();

  const proc = spawn(process.execPath, ['--import', 'tsx', child, file, secret], { stdio: ['ignore', 'pipe', 'pipe'] });
  const committed: string[] = [];
  let buf = '';
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr += d;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child too slow; stderr: ${stderr}`)), 25_000);
    proc.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      committed.push(...lines.filter(Boolean));
      if (committed.length >= 400) {
        proc.kill('SIGKILL'); // mid-loop: more settles are queued and in flight
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on('exit', (code) => code !== null && reject(new Error(`child exited ${code}: ${stderr}`)));
  });
  await new Promise((r) => proc.once('exit', r));

  const db = new Database(file, { readonly: true });
  const rows = db.prepare("SELECT request_id FROM ledger WHERE kind = 'call'").all() as { request_id: string }[];
  db.close();
  const inLedger = new Set(rows.map((r) => r.request_id));
  expect(committed.filter((id) => !inLedger.has(id))).toEqual([]);
  expect(inLedger.size).toBeGreaterThanOrEqual(committed.length);

  const after = await createAccounts({ store: `sqlite:${file}`, priceSource: prices });
  const u = await after.store.usage(key.id, Date.now());
  expect(u.reservedNanos).toBe(0n);
  const spent = (await after.store.spend({ groupBy: 'key' }))[0]!.costNanos;
  expect(u.balanceNanos).toBe(10n ** 12n - spent);
  await after.close();

  const out: string[] = [];
  const code = await ledgerVerifyCommand(
    { values: {}, positionals: [] },
    { store: `sqlite:${file}` },
    {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    },
  );
  expect(out.join('\n')).toContain('0 mismatches');
  expect(code).toBe(0);
});
