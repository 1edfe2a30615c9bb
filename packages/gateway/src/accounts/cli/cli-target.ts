// Where a CLI command acts: a running gateway's admin API (`--admin-url` + SWITCHYARD_ADMIN_TOKEN) or the store
// directly (`--store sqlite:./switchyard.db`). Both go through the same admin handler, so output is identical.
import type { AdminRequest, AdminResponse } from '../admin/admin-api.js';
import { handleAdmin } from '../admin/admin-api.js';
import { AccountsService } from '../service.js';
import { openStore } from '../store/open-store.js';
import type { AccountStore } from '../types.js';

/** Parsed argv in `node:util` parseArgs form. */
export interface CliArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface CliTarget {
  /** store URL (`sqlite:…` or `redis://…+postgres://…`) */
  store?: string;
  /** e.g. `http://127.0.0.1:8787` (the gateway; `/admin` is appended) */
  adminUrl?: string;
  adminToken?: string;
}

export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export const stdio: CliIO = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

export interface AdminCaller {
  call(req: AdminRequest): Promise<AdminResponse>;
  /** direct store access (store mode only) */
  store?: AccountStore;
  close(): Promise<void>;
}

export async function connect(t: CliTarget): Promise<AdminCaller> {
  if (t.adminUrl) {
    const token = t.adminToken ?? process.env.SWITCHYARD_ADMIN_TOKEN;
    if (!token) throw new Error('SWITCHYARD_ADMIN_TOKEN is not set (needed with --admin-url)');
    const base = t.adminUrl.replace(/\/+$/, '');
    return {
      async call(req) {
        const qs = req.query ? `?${new URLSearchParams(req.query as Record<string, string>)}` : '';
        const res = await fetch(`${base}/admin${req.path}${qs}`, {
          method: req.method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        const type = res.headers.get('content-type') ?? '';
        if (type.includes('csv')) return { status: res.status, csv: text };
        if (type.includes('html')) return { status: res.status, html: text };
        return { status: res.status, json: text ? JSON.parse(text) : undefined };
      },
      async close() {},
    };
  }
  if (!t.store) throw new Error('give --store <url> or --admin-url <url>');
  const store = await openStore(t.store);
  const service = new AccountsService(store);
  return { call: (req) => handleAdmin(service, req), store, close: () => store.close() };
}

/** Prints the response; returns the process exit code (0 on 2xx). */
export function print(io: CliIO, res: AdminResponse): number {
  const ok = res.status >= 200 && res.status < 300;
  if (res.csv !== undefined) io.out(res.csv.trimEnd());
  else if (res.html !== undefined) io.out(res.html.trimEnd());
  else (ok ? io.out : io.err)(JSON.stringify(res.json, null, 2));
  return ok ? 0 : 1;
}

export async function withCaller(t: CliTarget, io: CliIO, fn: (c: AdminCaller) => Promise<number>): Promise<number> {
  let c: AdminCaller | undefined;
  try {
    c = await connect(t);
    return await fn(c);
  } catch (err) {
    io.err(`error: ${(err as Error).message}`);
    return 2;
  } finally {
    await c?.close();
  }
}
