// Real Redis and PostgreSQL 15 (Debian packages) for test suites, on free loopback ports, stopped in teardown.
// When a binary is missing, `missingServers()` says which so suites can skip with a clear reason.
// Postgres refuses to run as root, so it is spawned as the `postgres` user (uid/gid), never under runuser.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const PGBIN = process.env.SWITCHYARD_PGBIN ?? '/usr/lib/postgresql/15/bin';

const which = (bin: string) => {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};

/** Human-readable reasons the real servers cannot start here (empty = all available). */
export function missingServers(): string[] {
  const out: string[] = [];
  if (!which('redis-server')) out.push('redis-server not installed (apt-get install redis-server)');
  if (!existsSync(`${PGBIN}/postgres`)) out.push(`PostgreSQL 15 not found in ${PGBIN} (apt-get install postgresql)`);
  return out;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(what: string, ready: () => boolean, proc: ChildProcess, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited early with code ${proc.exitCode}`);
    if (ready()) return;
    await sleep(50);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms`);
}

function stopper(proc: ChildProcess, signal: NodeJS.Signals, cleanup: () => void) {
  return async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill(signal);
      await Promise.race([exited, sleep(5000)]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
    cleanup();
  };
}

/** Waits for a just-spawned server; if it never gets ready, stops it (and removes its files) before rethrowing. */
async function readyOrStopped(what: string, ready: () => boolean, proc: ChildProcess, stop: () => Promise<void>) {
  try {
    await waitUntil(what, ready, proc);
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function startRedis(): Promise<RunningServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-redis-'));
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const ping = () => {
    try {
      return (
        execFileSync('redis-cli', ['-p', String(port), 'ping'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim() === 'PONG'
      );
    } catch {
      return false;
    }
  };
  const stop = stopper(proc, 'SIGTERM', () => rmSync(dir, { recursive: true, force: true }));
  await readyOrStopped('redis-server', ping, proc, stop);
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

export async function startPostgres(): Promise<RunningServer> {
  const port = await freePort();
  const ids =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
          gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
        }
      : {};
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-pg-'));
  if (ids.uid !== undefined && ids.gid !== undefined) chownSync(dir, ids.uid, ids.gid);
  const data = path.join(dir, 'data');
  execFileSync(
    `${PGBIN}/initdb`,
    ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C'],
    { ...ids, stdio: 'ignore' },
  );
  // fsync off: test data is throwaway; durability of the product is tested on SQLite and by design on postgres.
  const proc = spawn(
    `${PGBIN}/postgres`,
    ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-k', dir].concat([
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ]),
    { ...ids, stdio: 'ignore' },
  );
  const ready = () => {
    try {
      execFileSync(`${PGBIN}/pg_isready`, ['-q', '-h', '127.0.0.1', '-p', String(port)]);
      return true;
    } catch {
      return false;
    }
  };
  const stop = stopper(proc, 'SIGINT', () => rmSync(dir, { recursive: true, force: true }));
  await readyOrStopped('postgres', ready, proc, stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop };
}

/** Creates a fresh database on a running server (one per suite keeps suites independent). */
export async function createDatabase(server: RunningServer, name: string): Promise<string> {
  execFileSync('psql', [server.url, '-q', '-c', `CREATE DATABASE "${name}"`], { stdio: 'ignore' });
  return server.url.replace(/\/postgres$/, `/${name}`);
}
