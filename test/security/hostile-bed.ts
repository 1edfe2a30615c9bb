// Real gateway processes for the hostile-tenant suite: one on SQLite, or three replicas on one real Redis + one
// real Postgres, all in front of the hostile upstream (and the Anthropic / Gemini simulators). Loopback only.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AllSimulators, SCENARIO_HEADER, startAllSimulators } from '../../packages/simulators/src/index.js';
import {
  adminRequest,
  CLI_MAIN,
  createKeyVia,
  type GatewayProcess,
  type Json,
  secret,
  sleep,
  spawnGateway,
} from '../support/gateway.js';
import { createDatabase, type RunningServer, startPostgres, startRedis } from '../support/servers.js';
import { type HostileUpstream, startHostileUpstream } from './hostile-upstream.js';

const REPO = new URL('../..', import.meta.url).pathname;
export type StoreKind = 'sqlite' | 'redis+postgres';

export interface HostileBed {
  kind: StoreKind;
  gws: GatewayProcess[];
  upstream: HostileUpstream;
  sims: AllSimulators;
  storeUrl: string;
  redis?: RunningServer;
  /** The gateway for request `i` (round robin over the replicas). */
  url(i?: number): string;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }>;
  createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }>;
  /** Ledger totals of one key (calls, tokens, cost) from the admin spend report. */
  spendOf(keyId: string): Promise<{ requests: number; input: number; output: number; costUsd: number }>;
  balanceUsd(keyId: string): Promise<number>;
  /** `switchyard ledger verify --store …` as its own process, retried (bounded) while replicas settle. */
  verify(): Promise<{ code: number | null; output: string }>;
  close(): Promise<void>;
}

export async function startHostileBed(kind: StoreKind): Promise<HostileBed> {
  const adminToken = secret('adm-');
  const providerKey = secret('sk-prov-');
  const upstream = await startHostileUpstream();
  const sims = await startAllSimulators({ apiKey: providerKey });
  const dir = mkdtempSync(join(tmpdir(), 'sy-hostile-'));
  let redis: RunningServer | undefined;
  let pgServer: RunningServer | undefined;
  let storeUrl = `sqlite:${join(dir, 'accounts.db')}`;
  if (kind === 'redis+postgres') {
    [redis, pgServer] = await Promise.all([startRedis(), startPostgres()]);
    storeUrl = `${redis.url}/0+${await createDatabase(pgServer, `sy_hostile_${process.pid}`)}`;
  }
  const drip = (k: 'anthropic' | 'gemini') => ({
    kind: k,
    apiKey: providerKey,
    baseURL: sims[k].url,
    headers: { [SCENARIO_HEADER]: JSON.stringify({ outputTokens: 400, chunkDelayMs: 10 }) },
  });
  const hostile = (mode: string) => ({ kind: 'openai', apiKey: 'sk-hostile', baseURL: `${upstream.url}/${mode}/v1` });
  const config = {
    server: { host: '127.0.0.1', port: 0 },
    providers: {
      bill: hostile('bill'),
      slow: hostile('slow'),
      endless: hostile('endless'),
      absurd: hostile('absurd'),
      anthropic: drip('anthropic'),
      gemini: drip('gemini'),
    },
    routes: {},
    accounts: { store: storeUrl, unknownPrice: 'refuse' },
    retry: { maxAttempts: 1 },
    limits: { maxBodyBytes: 16 * 1024 * 1024 },
  };
  const configFile = join(dir, 'switchyard.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const env = { SWITCHYARD_ADMIN_TOKEN: adminToken };
  const gws: GatewayProcess[] = [];
  const close = async () => {
    await Promise.all(gws.map((g) => (g.alive() ? g.stop('SIGTERM').catch(() => g.child.kill('SIGKILL')) : null)));
    await Promise.all([upstream.close(), sims.close(), redis?.stop(), pgServer?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Replicas start one after the other: they share the database and its first migration.
    for (let i = 0; i < (kind === 'sqlite' ? 1 : 3); i++) {
      gws.push(await spawnGateway(['start', '--config', configFile, '--port', '0'], env));
    }
  } catch (err) {
    await close();
    throw err;
  }

  const bed: HostileBed = {
    kind,
    gws,
    upstream,
    sims,
    storeUrl,
    ...(redis && { redis }),
    url: (i = 0) => (gws[i % gws.length] as GatewayProcess).url,
    admin: (method, path, body) => adminRequest(bed.url(), adminToken, method, path, body, 15_000),
    createKey: (body) => createKeyVia(bed.admin, body),
    async spendOf(keyId) {
      const r = await bed.admin('GET', '/v1/spend?group_by=key');
      const row = (r.json.data as Json[]).find((x) => x.key === keyId);
      return {
        requests: row?.requests ?? 0,
        input: row?.input_tokens ?? 0,
        output: row?.output_tokens ?? 0,
        costUsd: Number(row?.cost_usd ?? 0),
      };
    },
    async balanceUsd(keyId) {
      const r = await bed.admin('GET', `/v1/keys/${keyId}`);
      return Number(r.json.balance_usd);
    },
    async verify() {
      let last = { code: null as number | null, output: '' };
      for (let i = 0; i < 10; i++) {
        last = await runVerify(storeUrl);
        if (last.code === 0) return last;
        await sleep(500); // replicas' group commits (every few ms) may still be in flight
      }
      return last;
    },
    close,
  };
  return bed;
}

function runVerify(storeUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, 'ledger', 'verify', '--store', storeUrl], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    p.stdout.on('data', (d) => {
      output += d;
    });
    p.stderr.on('data', (d) => {
      output += d;
    });
    const t = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, output });
    });
  });
}
