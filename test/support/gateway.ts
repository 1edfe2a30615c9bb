// A real gateway for cross-package suites: the CLI (`switchyard start`) spawned as its own Node process with a
// JSON config file, an SQLite accounts store and an admin token, in front of the three simulators (run in the
// test process so tests can steer their scenarios and read their logs and counters). Loopback only, port 0.
// The process is `node --import tsx main.ts` (not the tsx wrapper) so SIGKILL hits the gateway itself.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AllSimulators,
  SCENARIO_HEADER,
  type Scenario,
  startAllSimulators,
} from '../../packages/simulators/src/index.js';

export const CLI_MAIN = new URL('../../packages/gateway/src/cli/main.ts', import.meta.url).pathname;
const REPO = new URL('../..', import.meta.url).pathname;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 20 ms until true or `ms` passed (then throws naming `what`). */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`);
    await sleep(20);
  }
}

export interface GatewayProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  stdout(): string;
  stderr(): string;
  alive(): boolean;
  /** Sends `signal` and waits (bounded) for the exit; resolves to the exit code (null when killed). */
  stop(signal?: NodeJS.Signals, ms?: number): Promise<number | null>;
}

/** Spawns `switchyard <args>` and waits for "listening on URL" (cold start under tsx is 5–15 s on a busy box). */
export async function spawnGateway(args: string[], env: Record<string, string>, ms = 60_000): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let url = '';
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`gateway exited ${child.exitCode}:\n${out}\n${err}`);
        url = /listening on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1] ?? '';
        return url !== '';
      },
      ms,
      'gateway start',
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    pid: child.pid ?? -1,
    child,
    stdout: () => out,
    stderr: () => err,
    alive,
    async stop(signal = 'SIGTERM', waitMs = 15_000) {
      if (alive()) child.kill(signal);
      const code = await Promise.race([exited, sleep(waitMs).then(() => 'timeout' as const)]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`gateway did not exit within ${waitMs} ms of ${signal}`);
      }
      return code;
    },
  };
}

/** Open sockets of a process (Linux /proc), e.g. to prove a fault left no connection behind. */
export function socketCount(pid: number): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // fd closed while listing
    }
  }
  return n;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '06': 'TIME_WAIT',
  '08': 'CLOSE_WAIT',
  '0A': 'LISTEN',
};

/**
 * TCP sockets a process holds, counted by state. A socket stuck in CLOSE_WAIT is the signature of a leak: the
 * peer closed it and the process never did.
 */
export function tcpStates(pid: number): Record<string, number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m?.[1]) inodes.add(m[1]);
    } catch {}
  }
  const out: Record<string, number> = {};
  for (const file of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${file}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [state, inode] = [cols[3], cols[9]];
      if (!state || !inode || !inodes.has(inode)) continue;
      const name = TCP_STATES[state] ?? state;
      out[name] = (out[name] ?? 0) + 1;
    }
  }
  return out;
}

/** Resident set size of a process in bytes, from /proc. */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

/** A distinctive secret per run, so a grep for it can only hit a real leak. */
export const secret = (prefix: string) => `${prefix}${randomBytes(18).toString('base64url')}`;

export interface TestbedOptions {
  /** Extra providers, e.g. faulty copies of the simulators (see `faulty`). */
  providers?: (sims: AllSimulators, key: string) => Record<string, unknown>;
  routes?: Record<string, unknown>;
  accounts?: Record<string, unknown>;
  limits?: Record<string, unknown>;
  timeouts?: Record<string, unknown>;
  retry?: Record<string, unknown>;
  /** Operator price overrides (`<providerId>/<model>` → USD per Mtok). */
  prices?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Testbed {
  sims: AllSimulators;
  gw: GatewayProcess;
  dir: string;
  dbFile: string;
  providerKey: string;
  adminToken: string;
  /** Calls the admin API with the admin token (or `token`). */
  admin(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: Json }>;
  /** Creates a virtual key; returns its id and secret. */
  createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }>;
  reservedUsd(keyId: string): Promise<string>;
  /** Spawns a fresh gateway process on the same config and store (after `gw` stopped or was killed). */
  restart(): Promise<GatewayProcess>;
  /** `switchyard ledger verify --store …` as its own process. */
  ledgerVerify(): Promise<{ code: number | null; output: string }>;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/** A provider entry pointing at a simulator with a scenario baked into every request. */
export function faulty(sims: AllSimulators, kind: 'openai' | 'anthropic' | 'gemini', key: string, s: Scenario) {
  const baseURL = kind === 'openai' ? `${sims.openai.url}/v1` : sims[kind].url;
  return { kind, apiKey: key, baseURL, headers: { [SCENARIO_HEADER]: JSON.stringify(s) } };
}

// The provider key reaches the config through env interpolation, as operators do (never in the file).
// biome-ignore lint/suspicious/noTemplateCurlyInString: a config-file env reference, not a JS template
const KEY_REF = '${SY_PROVIDER_KEY}';

export async function startTestbed(o: TestbedOptions = {}): Promise<Testbed> {
  const providerKey = secret('sk-prov-');
  const adminToken = secret('adm-');
  const sims = await startAllSimulators({ apiKey: providerKey });
  const dir = mkdtempSync(join(tmpdir(), 'sy-rel-'));
  const dbFile = join(dir, 'accounts.db');
  const config = {
    server: { host: '127.0.0.1', port: 0 },
    providers: {
      openai: { kind: 'openai', apiKey: KEY_REF, baseURL: `${sims.openai.url}/v1` },
      anthropic: { kind: 'anthropic', apiKey: KEY_REF, baseURL: sims.anthropic.url },
      gemini: { kind: 'gemini', apiKey: KEY_REF, baseURL: sims.gemini.url },
      ...o.providers?.(sims, KEY_REF),
    },
    routes: o.routes ?? {},
    accounts: { store: `sqlite:${dbFile}`, unknownPrice: 'allow', ...o.accounts },
    ...(o.limits && { limits: o.limits }),
    ...(o.timeouts && { timeouts: o.timeouts }),
    ...(o.retry && { retry: o.retry }),
    ...(o.prices && { prices: o.prices }),
  };
  const configFile = join(dir, 'switchyard.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const env = { SY_PROVIDER_KEY: providerKey, SWITCHYARD_ADMIN_TOKEN: adminToken, ...o.env };
  const start = () => spawnGateway(['start', '--config', configFile, '--port', '0'], env);
  let gw: GatewayProcess;
  try {
    gw = await start();
  } catch (err) {
    await sims.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const bed: Testbed = {
    sims,
    get gw() {
      return gw;
    },
    dir,
    dbFile,
    providerKey,
    adminToken,
    admin: (method, path, body, token = adminToken) => adminRequest(gw.url, token, method, path, body, 10_000),
    createKey: (body) => createKeyVia(bed.admin, body),
    async reservedUsd(keyId) {
      return (await bed.admin('GET', `/v1/keys/${keyId}`)).json.reserved_usd as string;
    },
    async restart() {
      gw = await start();
      return gw;
    },
    ledgerVerify() {
      return new Promise((resolve) => {
        const p = spawn(
          process.execPath,
          ['--import', 'tsx', CLI_MAIN, 'ledger', 'verify', '--store', `sqlite:${dbFile}`],
          {
            cwd: REPO,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
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
    },
    async metrics() {
      const res = await fetch(`${gw.url}/metrics`, { signal: AbortSignal.timeout(10_000) });
      return res.text();
    },
    async close() {
      if (gw.alive()) await gw.stop('SIGTERM').catch(() => gw.child.kill('SIGKILL'));
      await sims.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return bed;
}

/** A Prometheus sample value by metric name (first line, no labels or any labels). */
export function metricValue(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** `method /admin{path}` on a gateway with the admin token; the body is JSON when it parses, else its text. */
export async function adminRequest(
  url: string,
  token: string,
  method: string,
  path: string,
  body: unknown,
  timeoutMs: number,
): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: Json = text;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json };
}

/** Creates a virtual key through an admin caller; throws unless it answers 201. */
export async function createKeyVia(
  admin: (method: string, path: string, body?: unknown) => Promise<{ status: number; json: Json }>,
  body: unknown,
): Promise<{ id: string; key: string }> {
  const r = await admin('POST', '/v1/keys', body);
  if (r.status !== 201) throw new Error(`create key: ${r.status} ${JSON.stringify(r.json)}`);
  return { id: r.json.id as string, key: r.json.key as string };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
export type Json = any;

export interface PostResult {
  status: number;
  headers: Headers;
  text: string;
  json: Json;
  ms: number;
}

/** POST JSON (or raw text) to the gateway, bounded by `ms`; never throws on HTTP errors. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  ms = 15_000,
): Promise<PostResult> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(ms),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, text, json, ms: performance.now() - t0 };
}
