// Switchyard as a contender, run the way users run it: `switchyard start --config FILE` (the gateway's CLI, built
// JavaScript by default, or from source via tsx: switchyard-runtime.ts) in its own process, a fresh SQLite accounts store, one virtual key with prepaid credits created
// through the admin API, tracing off or on (OTLP/HTTP to a discard sink).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCommand } from '../procs/child.js';
import { freePort } from '../procs/os-info.js';
import { startSink } from '../servers/start-upstreams.js';
import { type Contender, chatBody, JSON_HEADERS } from './contender.js';
import { type SwitchyardProvider, switchyardConfig } from './switchyard-config.js';
import {
  DIST_CLI,
  DIST_CONDITION,
  ensureBuilt,
  type SwitchyardRuntime,
  switchyardRuntime,
} from './switchyard-runtime.js';

const CLI = fileURLToPath(new URL('../../../packages/gateway/src/cli/main.ts', import.meta.url));
const PROFILED = fileURLToPath(new URL('../servers/switchyard-profiled.ts', import.meta.url));

export interface SwitchyardOptions {
  tracing: boolean;
  providers: SwitchyardProvider[];
  routes?: Record<string, unknown>;
  /** The config's `cache:` section (response cache), when the run wants it on. */
  cache?: Record<string, unknown>;
  /** Write a V8 CPU profile of the gateway process into this directory (on graceful stop). */
  cpuProfDir?: string;
  /** Default: `switchyardRuntime()` (the built dist unless BENCH_RUNTIME=tsx). */
  runtime?: SwitchyardRuntime;
  /** Another build's CLI (its `dist/cli/main.js`) to run instead of this checkout's: A/B of two commits. */
  distCli?: string;
}

async function createKey(url: string, adminToken: string): Promise<string> {
  const res = await fetch(`${url}/admin/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', credits_usd: '1000000' }),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as { key?: string };
  if (res.status !== 201 || !body.key) throw new Error(`virtual key creation failed: HTTP ${res.status}`);
  return body.key;
}

export async function startSwitchyard(opts: SwitchyardOptions): Promise<Contender> {
  const name = opts.tracing ? 'switchyard-tracing' : 'switchyard';
  const dir = mkdtempSync(path.join(tmpdir(), 'sy-bench-'));
  const sink = opts.tracing ? await startSink() : undefined;
  const cleanup = async () => {
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const configFile = path.join(dir, 'switchyard.json');
    const config = switchyardConfig({
      providers: opts.providers,
      routes: opts.routes,
      ...(opts.cache && { cache: opts.cache }),
      storePath: path.join(dir, 'switchyard.db'),
      port,
      tracingEndpoint: sink?.info.url,
    });
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const adminToken = randomBytes(24).toString('hex');
    // No inherited OTEL_* variables: tracing is exactly what the config says.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    const prof = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
    let argv: string[];
    if (opts.distCli) argv = [...prof, DIST_CONDITION, opts.distCli];
    else if ((opts.runtime ?? switchyardRuntime()) === 'dist') {
      await ensureBuilt();
      argv = [...prof, DIST_CONDITION, DIST_CLI];
    } else {
      // Profiling from source: the source maps needed to read the profile (see switchyard-profiled.ts).
      const entry = opts.cpuProfDir ? ['--enable-source-maps', ...prof, PROFILED, CLI] : [CLI];
      argv = [...process.execArgv, ...entry];
    }
    const child = await startCommand(
      name,
      process.execPath,
      [...argv, 'start', '--config', configFile],
      async () => (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok,
      {
        env: {
          ...env,
          SWITCHYARD_ADMIN_TOKEN: adminToken,
          LOG_LEVEL: 'warn',
          ...(opts.cpuProfDir ? { BENCH_SOURCEMAP_DIR: opts.cpuProfDir } : {}),
        },
        replaceEnv: true,
        timeoutMs: 30_000,
      },
    );
    let key: string;
    try {
      key = await createKey(url, adminToken);
    } catch (e) {
      await child.close();
      throw e;
    }
    return {
      name,
      pid: child.pid,
      target: (call) => ({
        url: `${url}/v1/chat/completions`,
        method: 'POST',
        headers: { ...JSON_HEADERS, authorization: `Bearer ${key}` },
        body: chatBody(call, call.route ?? `${call.upstream.providerId}/${call.model}`),
      }),
      close: async () => {
        await child.close();
        await cleanup();
      },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
