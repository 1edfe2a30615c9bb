// Child entry: Switchyard's gateway from its public API, with the config in argv[2] (JSON). Creates one virtual
// key with prepaid credits through the admin API and reports `{ url, key }`. The admin token never leaves here.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { reportError, reportReady } from '../procs/child.js';

type Listening = { url?: string; port?: number; address?: () => AddressInfo | string | null };

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
  const adminToken = randomBytes(24).toString('hex');
  process.env.SWITCHYARD_ADMIN_TOKEN = adminToken;
  const specifier = '@switchyard/gateway';
  const gateway = (await import(specifier)) as Record<string, unknown>;
  if (typeof gateway.listen !== 'function') throw new Error('listen() is not exported by @switchyard/gateway');
  const srv = (await (gateway.listen as (c: unknown) => Promise<Listening>)(config)) as Listening;
  const url = srv.url ?? `http://127.0.0.1:${srv.port ?? (srv.address?.() as AddressInfo | null)?.port}`;
  const res = await fetch(`${url}/admin/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', credits_usd: '1000000' }),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as { key?: string };
  if (res.status !== 201 || !body.key) throw new Error(`admin key creation failed: HTTP ${res.status}`);
  reportReady({ url: url.replace(/\/$/, ''), key: body.key });
}

main().catch(reportError);
