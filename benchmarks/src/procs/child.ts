// Each server runs in its own process so it never shares an event loop with the load generator.
// A child entry reports `{ type: 'ready', info }` (or `{ type: 'error', message }`) over IPC.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface Child<T> {
  name: string;
  pid: number;
  info: T;
  /** Last lines of the child's stderr, for skip reasons. */
  stderr(): string;
  /** Forked children only: send `{ type: 'ask', what }`, resolve with the child's `{ type: 'answer', value }`. */
  ask<R>(what: string): Promise<R>;
  close(): Promise<void>;
}

export type ReadyMessage<T> = { type: 'ready'; info: T } | { type: 'error'; message: string };

const tail = (buf: string[]) => buf.join('').split('\n').slice(-15).join('\n');

function capture(proc: ChildProcess): string[] {
  const buf: string[] = [];
  proc.stderr?.setEncoding('utf8');
  proc.stderr?.on('data', (d: string) => {
    buf.push(d);
    if (buf.length > 200) buf.splice(0, buf.length - 200);
  });
  return buf;
}

/** Stop a child we started: SIGTERM, then SIGKILL after a grace period. */
export async function stopProcess(proc: ChildProcess, graceMs = 3000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Fork a TypeScript entry (tsx's loader is inherited through execArgv) and wait for its ready message. */
export async function startChild<T>(
  name: string,
  entry: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; execArgv?: string[] } = {},
): Promise<Child<T>> {
  const proc = fork(entry, args, {
    env: { ...process.env, ...opts.env },
    execArgv: [...process.execArgv, ...(opts.execArgv ?? [])],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const err = capture(proc);
  const timeoutMs = opts.timeoutMs ?? 20_000;
  try {
    const info = await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not ready after ${timeoutMs} ms`)), timeoutMs);
      proc.on('message', (m: ReadyMessage<T>) => {
        clearTimeout(timer);
        if (m.type === 'ready') resolve(m.info);
        else reject(new Error(m.message));
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${signal ?? code}) before ready:\n${tail(err)}`));
      });
    });
    proc.removeAllListeners('exit');
    const ask = <R>(what: string) =>
      new Promise<R>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not answer "${what}"`)), 5000);
        proc.once('message', (m: { type: string; value: R }) => {
          clearTimeout(timer);
          resolve(m.value);
        });
        proc.send({ type: 'ask', what });
      });
    return { name, pid: proc.pid ?? -1, info, stderr: () => tail(err), ask, close: () => stopProcess(proc) };
  } catch (e) {
    await stopProcess(proc, 500);
    throw e;
  }
}

/** Spawn a plain command (e.g. Portkey's start script) and poll `ready()` until it resolves true. */
export async function startCommand(
  name: string,
  command: string,
  args: string[],
  ready: () => Promise<boolean>,
  opts: { env?: NodeJS.ProcessEnv; replaceEnv?: boolean; timeoutMs?: number; cwd?: string } = {},
): Promise<Child<undefined>> {
  const proc = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.replaceEnv ? opts.env : { ...process.env, ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const err = capture(proc);
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  try {
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}):\n${tail(err)}`);
      if (await ready().catch(() => false)) {
        const ask = () => Promise.reject(new Error(`${name} has no IPC channel`));
        return {
          name,
          pid: proc.pid ?? -1,
          info: undefined,
          stderr: () => tail(err),
          ask,
          close: () => stopProcess(proc),
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${name} not ready after ${opts.timeoutMs ?? 20_000} ms:\n${tail(err)}`);
  } catch (e) {
    await stopProcess(proc, 500);
    throw e;
  }
}

/** Child side: answer the parent's `ask(what)` with `answer(what)`. */
export function answerAsks(answer: (what: string) => unknown): void {
  process.on('message', (m: { type?: string; what?: string }) => {
    if (m.type === 'ask' && m.what !== undefined) process.send?.({ type: 'answer', value: answer(m.what) });
  });
}

/** Child side: report readiness to the parent and exit when the parent goes away. */
export function reportReady<T>(info: T): void {
  process.send?.({ type: 'ready', info } satisfies ReadyMessage<T>);
  process.on('disconnect', () => process.exit(0));
  // A normal exit (not the default SIGTERM kill) lets --cpu-prof write its profile.
  process.on('SIGTERM', () => process.exit(0));
}

export function reportError(e: unknown): never {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.send?.({ type: 'error', message } satisfies ReadyMessage<never>);
  process.exit(1);
}
