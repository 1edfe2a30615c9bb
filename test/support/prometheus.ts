// Starts the real `prometheus` binary (Debian package) for tests: free loopback port, temp TSDB, generated scrape
// config (1 s interval) pointing at the given targets. Bounded waits everywhere; stop() always cleans up.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const which = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).stdout.trim();

export const PROMETHEUS_BIN = which('prometheus');
export const PROMTOOL_BIN = which('promtool');
/** Reason to skip a suite, or undefined when both binaries are installed. */
export const prometheusMissing: string | undefined =
  PROMETHEUS_BIN && PROMTOOL_BIN
    ? undefined
    : 'prometheus/promtool not installed (apt-get install prometheus); skipping real-Prometheus suites';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface PromSample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

export interface PromResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: PromSample[] | [number, string] };
}

export interface RunningPrometheus {
  url: string;
  /** Raw GET on the HTTP API, e.g. `/api/v1/query?query=up`. */
  api(pathAndQuery: string): Promise<PromResponse>;
  query(expr: string): Promise<PromResponse>;
  queryRange(expr: string, startS: number, endS: number, stepS: number): Promise<PromResponse>;
  /** Polls `expr` until it returns at least one series or `timeoutMs` passes. */
  waitFor(expr: string, timeoutMs: number): Promise<PromResponse>;
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** `host:port` of each /metrics endpoint to scrape. */
  targets: string[];
  /** Absolute paths of rule files to load; copied with every group `interval:` set to the scrape interval. */
  ruleFiles?: string[];
  scrapeIntervalS?: number;
}

export async function startPrometheus(opts: StartPrometheusOptions): Promise<RunningPrometheus> {
  if (prometheusMissing) throw new Error(prometheusMissing);
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-prom-'));
  const interval = `${opts.scrapeIntervalS ?? 1}s`;
  // Production groups evaluate every 30 s; a test cannot wait that long, so the copies evaluate every scrape.
  const ruleFiles = (opts.ruleFiles ?? []).map((file, i) => {
    const copy = join(dir, `${i}-${basename(file)}`);
    writeFileSync(copy, readFileSync(file, 'utf8').replace(/^(\s+interval:\s*)\S+$/gm, `$1${interval}`));
    return copy;
  });
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    ...(ruleFiles.length ? ['rule_files:', ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)] : []),
    'scrape_configs:',
    '  - job_name: switchyard',
    '    static_configs:',
    `      - targets: [${opts.targets.map((t) => JSON.stringify(t)).join(', ')}]`,
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), `${config}\n`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const api = async (pathAndQuery: string): Promise<PromResponse> => {
    const res = await fetch(`${url}${pathAndQuery}`, { signal: AbortSignal.timeout(10_000) });
    return (await res.json()) as PromResponse;
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (proc.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited early: ${stderr}`);
    }
    const ok = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready within 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  const query = (expr: string) => api(`/api/v1/query?query=${encodeURIComponent(expr)}`);
  return {
    url,
    api,
    query,
    queryRange: (expr, start, end, step) =>
      api(`/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${start}&end=${end}&step=${step}`),
    async waitFor(expr, timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const res = await query(expr);
        const result = res.data?.result;
        if (res.status === 'success' && Array.isArray(result) && result.length > 0) return res;
        if (Date.now() > until) return res;
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop,
  };
}

/** Runs promtool; returns exit status and output. */
export function promtool(args: string[]): { status: number; output: string } {
  const res = spawnSync(PROMTOOL_BIN, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: res.status ?? 1, output: `${res.stdout}${res.stderr}` };
}
