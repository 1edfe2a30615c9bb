// CLI handlers in both modes: the store directly (sqlite) and a running gateway's admin API.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CliArgs,
  creditsAddCommand,
  keysCreateCommand,
  keysListCommand,
  keysRevokeCommand,
  keysShowCommand,
  keysUpdateCommand,
  ledgerVerifyCommand,
  spendCommand,
} from '../../src/accounts/cli/index.js';
import { createAccounts } from '../../src/accounts/index.js';
import { okOutcome, plan, prices, request } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}
const args = (values: CliArgs['values'] = {}, ...positionals: string[]): CliArgs => ({ values, positionals });

describe('CLI, store mode (sqlite)', () => {
  const store = `sqlite:${path.join(dir, 'cli.db')}`;

  it('keys create/show/update/list/revoke, credits add (idempotent), spend csv, ledger verify', async () => {
    const c = io();
    const create = args({ name: 'ci', credits: '5', daily: '1', models: 'openai/*,anthropic/*', rpm: '100' });
    expect(await keysCreateCommand(create, { store }, c.io)).toBe(0);
    const created = JSON.parse(c.out[0]!);
    expect(created).toMatchObject({ name: 'ci', balance_usd: '5.00', models: ['openai/*', 'anthropic/*'], rpm: 100 });
    expect(created.key).toMatch(/^sk-sy-/);
    const id = created.id as string;

    const add = args({ amount: '2.5', reason: 'top-up', 'idempotency-key': 'k1' }, id);
    const a1 = io();
    expect(await creditsAddCommand(add, { store }, a1.io)).toBe(0);
    expect(JSON.parse(a1.out[0]!)).toMatchObject({ applied: true, balance_usd: '7.50' });
    const a2 = io();
    expect(await creditsAddCommand(add, { store }, a2.io)).toBe(0);
    expect(JSON.parse(a2.out[0]!)).toMatchObject({ applied: false, balance_usd: '7.50' });

    const u = io();
    expect(await keysUpdateCommand(args({ rpm: 'none', disable: true }, id), { store }, u.io)).toBe(0);
    expect(JSON.parse(u.out[0]!)).toMatchObject({ rpm: null, enabled: false });
    const s = io();
    expect(await keysShowCommand(args({}, id), { store }, s.io)).toBe(0);
    expect(JSON.parse(s.out[0]!)).toMatchObject({ balance_usd: '7.50', status: 'disabled' });
    expect(s.out[0]).not.toContain(created.key);
    const l = io();
    expect(await keysListCommand(args(), { store }, l.io)).toBe(0);
    expect(JSON.parse(l.out[0]!).data).toHaveLength(1);

    const bad = io();
    expect(await keysUpdateCommand(args({ rpm: 'lots' }, id), { store }, bad.io)).toBe(1);
    expect(JSON.parse(bad.err[0]!).error.param).toBe('rpm');
    expect(await keysShowCommand(args(), { store }, io().io)).toBe(2);

    // a call settles through a gateway instance on the same file, then the CLI reports and verifies
    const gw = await createAccounts({ store, priceSource: prices });
    await gw.service.updateKey(id, { enabled: true });
    const t = await gw.admission.admit(request(created.key), plan());
    t.settle(okOutcome(1000, 500));
    await gw.close();
    const sp = io();
    expect(await spendCommand(args({ 'group-by': 'key', format: 'csv' }), { store }, sp.io)).toBe(0);
    expect(sp.out[0]).toBe(`key,requests,input_tokens,output_tokens,cost_usd\n${id},1,1000,500,0.002`);

    const v = io();
    expect(await ledgerVerifyCommand(args(), { store }, v.io)).toBe(0);
    expect(await keysRevokeCommand(args({}, id), { store }, io().io)).toBe(0);

    // tamper with a stored balance: verify must notice and exit non-zero
    const db = new Database(path.join(dir, 'cli.db'));
    db.prepare('UPDATE keys SET balance_nanos = balance_nanos + 1 WHERE id = ?').run(id);
    db.close();
    const bad2 = io();
    expect(await ledgerVerifyCommand(args(), { store }, bad2.io)).toBe(1);
    expect(bad2.err[0]).toContain(`MISMATCH ${id}`);
  });
});

describe('CLI, admin URL mode', () => {
  it('talks to a running gateway admin API with the token', async () => {
    const acc = await createAccounts({ store: `sqlite:${path.join(dir, 'remote.db')}`, priceSource: prices });
    const app = express();
    app.use('/admin', acc.adminRouter('tok')!);
    const server: Server = await new Promise((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    const adminUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const c = io();
      expect(
        await keysCreateCommand(args({ name: 'remote', credits: '1' }), { adminUrl, adminToken: 'tok' }, c.io),
      ).toBe(0);
      const id = JSON.parse(c.out[0]!).id;
      const s = io();
      expect(await spendCommand(args({ 'group-by': 'model' }), { adminUrl, adminToken: 'tok' }, s.io)).toBe(0);
      expect(JSON.parse(s.out[0]!)).toMatchObject({ object: 'list', group_by: 'model' });
      const w = io();
      expect(await keysShowCommand(args({}, id), { adminUrl, adminToken: 'wrong' }, w.io)).toBe(1);
      expect(JSON.parse(w.err[0]!).error.code).toBe('invalid_admin_token');
      expect(await ledgerVerifyCommand(args(), { adminUrl }, io().io)).toBe(2);
    } finally {
      await new Promise((r) => server.close(r));
      await acc.close();
    }
  });
});
