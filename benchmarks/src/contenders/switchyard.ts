// Switchyard as a contender: its own child process (switchyard-process.ts), a fresh SQLite store, a virtual key
// with credits created through the admin API, tracing off or on (OTLP to a discard sink).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../procs/child.js';
import { startSink } from '../servers/start-upstreams.js';
import { type Contender, chatBody, JSON_HEADERS } from './contender.js';
import { type SwitchyardProvider, switchyardConfig } from './switchyard-config.js';

const ENTRY = fileURLToPath(new URL('../servers/switchyard-process.ts', import.meta.url));

export interface SwitchyardOptions {
  tracing: boolean;
  providers: SwitchyardProvider[];
  routes?: Record<string, unknown>;
  /** Write a V8 CPU profile of the gateway process into this directory. */
  cpuProfDir?: string;
}

export interface SwitchyardInfo {
  url: string;
  key: string;
}

export async function startSwitchyard(opts: SwitchyardOptions): Promise<Contender> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sy-bench-'));
  const config = switchyardConfig({
    providers: opts.providers,
    routes: opts.routes,
    storePath: path.join(dir, 'switchyard.db'),
  });
  const sink = opts.tracing ? await startSink() : undefined;
  const name = opts.tracing ? 'switchyard-tracing' : 'switchyard';
  const env: NodeJS.ProcessEnv = {
    OTEL_SDK_DISABLED: opts.tracing ? 'false' : 'true',
    OTEL_EXPORTER_OTLP_ENDPOINT: sink?.info.url ?? '',
    OTEL_TRACES_EXPORTER: opts.tracing ? 'otlp' : 'none',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    LOG_LEVEL: 'warn',
  };
  if (!opts.tracing) delete env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const execArgv = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  try {
    const child = await startChild<SwitchyardInfo>(name, ENTRY, [JSON.stringify(config)], { env, execArgv });
    return {
      name,
      pid: child.pid,
      target: (call) => ({
        url: `${child.info.url}/v1/chat/completions`,
        method: 'POST',
        headers: { ...JSON_HEADERS, authorization: `Bearer ${child.info.key}` },
        body: chatBody(call, call.route ?? `${call.upstream.providerId}/${call.model}`),
      }),
      close: async () => {
        await child.close();
        await sink?.close();
      },
    };
  } catch (e) {
    await sink?.close();
    throw e;
  }
}
