// The README's quick start as a new user (or a script, or a process manager) runs it: `npx -y pnpm@10 start`
// must stop — and free its port — when the FIRST pid of that chain gets SIGTERM, and a port already in use must be
// one clear line and a non-zero exit at once, not a log entry while something else answers on the port.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_MAIN, waitFor } from '../support/gateway.js';
import { freePort } from '../support/servers.js';

const REPO = new URL('../..', import.meta.url).pathname;
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info' };
const START = 'npx -y pnpm@10 start';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.pid) killTree(c.pid);
});

/** Last-resort cleanup when a test failed half-way: the whole process group of what we spawned. */
function killTree(pid: number) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function capture(child: ChildProcess) {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return () => out;
}

const healthy = (port: number) =>
  fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.status === 200,
    () => false,
  );

/** True once nothing accepts connections on the port any more. */
const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

describe('quick start: stopping the README command', () => {
  it('the README still shows the quick-start commands this test runs', () => {
    const readme = readFileSync(`${REPO}README.md`, 'utf8');
    expect(readme).toContain(`npx -y pnpm@10 install && ${START} `);
    expect(readme).toContain('npx -y pnpm@10 install && npx -y pnpm@10 test ');
  });

  it(`SIGTERM to the pid of \`${START}\` stops the gateway and frees its port`, async () => {
    const port = await freePort();
    const [cmd, ...args] = START.split(' ');
    // detached: its own process group, so the afterEach cleanup can reach every process if the test fails.
    const child = spawn(cmd as string, [...args, '--port', String(port)], {
      cwd: REPO,
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(child);
    const output = capture(child);
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${output()}`);
        return healthy(port);
      },
      90_000,
      'gateway healthy',
    );
    expect(output()).toContain('DEMO MODE');
    child.kill('SIGTERM'); // the first pid only, as `kill PID` does
    await waitFor(() => portFree(port), 30_000, `port ${port} free after SIGTERM to the npx pid`).catch((e) => {
      throw new Error(`${e.message}\n${output()}`);
    });
    await waitFor(() => /"msg":"stopped"/.test(output()), 30_000, 'gateway logged "stopped"');
  }, 150_000);
});

describe('quick start: port already in use', () => {
  let holder: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => (holder ? holder.close(r) : r(undefined)));
    holder = undefined;
  });

  it('exits non-zero at once with one line naming the port and how to pick another', async () => {
    const server = createServer((s) => s.end());
    holder = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_MAIN, 'start', '--port', String(port)], {
      cwd: REPO,
      env: { ...ENV, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toContain(`port ${port}`);
    expect(lines[0]).toContain('already in use');
    expect(lines[0]).toContain('--port');
    expect(lines[0]).toContain('server.port');
  }, 90_000);
});
