// One accounts instance on a fresh SQLite file behind its admin router on 127.0.0.1, for the admin API suites:
// registers its own beforeAll / afterAll and hands back a caller that speaks to /admin with the token.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll } from 'vitest';
import { type Accounts, createAccounts } from '../../src/accounts/index.js';
import { prices } from './helpers.js';

export interface AdminAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read field by field
  json: any;
  text: string;
  headers: Headers;
}

export interface AdminBed {
  /** The accounts under test (set once beforeAll has run). */
  readonly acc: Accounts;
  /** http://127.0.0.1:port of the admin server, for hand-built requests. */
  readonly url: string;
  /** `method /admin{p}` with the token (or `token`; null sends none), a JSON body when one is given. */
  call(method: string, p: string, body?: unknown, token?: string | null): Promise<AdminAnswer>;
}

export function useAdminBed(token: string, opts: { keyCacheMs?: number } = {}): AdminBed {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-admin-'));
  let acc: Accounts | undefined;
  let server: Server | undefined;
  let base = '';

  beforeAll(async () => {
    acc = await createAccounts({ store: `sqlite:${path.join(dir, 'admin.db')}`, priceSource: prices, ...opts });
    const app = express();
    const router = acc.adminRouter(token);
    if (router) app.use('/admin', router);
    const listening = await new Promise<Server>((r) => {
      const s = app.listen(0, '127.0.0.1', () => r(s));
    });
    server = listening;
    base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await acc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  return {
    get url() {
      return base;
    },
    get acc() {
      if (!acc) throw new Error('admin bed used before beforeAll');
      return acc;
    },
    async call(method, p, body, auth = token) {
      const res = await fetch(`${base}/admin${p}`, {
        method,
        headers: {
          ...(auth !== null ? { authorization: `Bearer ${auth}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
      return { status: res.status, json, text, headers: res.headers };
    },
  };
}
