// `npx -y pnpm@10 start` runs npx → sh → pnpm → sh → node. Neither npx nor pnpm forwards SIGTERM to the script
// they run, so a signal sent to the first pid (what scripts, process managers and tests do) used to leave the gateway
// running and holding its port. The gateway therefore watches the launcher processes above it — the unbroken chain
// of shells (`sh -c …`) and package managers (npm, npx, pnpm, yarn, corepack) — and shuts down gracefully as soon as
// one of them is gone, exactly as on SIGTERM. A gateway started any other way (node directly, systemd, a test
// harness) has no launcher above it and watches nothing.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';

const POLL_MS = 500;
/** Bound on the walk up the process tree (npx → sh → pnpm → sh is four). */
const MAX_DEPTH = 8;
const PACKAGE_MANAGER = /^(npm|npx|pnpm|pnpx|yarn|yarnpkg|corepack)(-cli)?(\.[cm]?js)?$/;
const SHELL = /^(sh|bash|dash|zsh|ash|busybox)$/;

interface ProcInfo {
  ppid: number;
  /** Opaque identity that changes when the pid is reused (Linux start time; else empty). */
  startedAt: string;
  args: string[];
}

/** Whether a command line is a package manager or a shell running one command (`sh -c '…'`). */
export function isLauncher(args: string[]): boolean {
  // npm rewrites its process title ("npm exec pnpm@10 start"), so split every argument on spaces too.
  const words = args.flatMap((a) => a.split(' ')).filter((w) => w !== '');
  const [first, second] = words;
  if (first === undefined) return false;
  if (SHELL.test(basename(first)) && second === '-c') return true;
  return words.slice(0, 3).some((w) => PACKAGE_MANAGER.test(basename(w)));
}

function parseProc(stat: string, cmdline: string): ProcInfo | undefined {
  // Fields after the parenthesised command name: state ppid … (starttime is field 22 overall).
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (rest[0] === 'Z' || rest[0] === 'X') return undefined; // exited, not yet reaped
  return { ppid: Number(rest[1]), startedAt: rest[19] ?? '', args: cmdline.split('\0').filter(Boolean) };
}

function parsePs(stdout: string): ProcInfo | undefined {
  const m = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(stdout.trim());
  if (!m || m[2]?.startsWith('Z')) return undefined;
  return { ppid: Number(m[1]), startedAt: '', args: (m[3] ?? '').split(' ') };
}

const PS_ARGS = (pid: number) => ['-o', 'ppid=,stat=,args=', '-p', String(pid)];

/** Synchronous, for the one walk at start-up: it must finish before a launcher could exit under us. */
function procInfoNow(pid: number): ProcInfo | undefined {
  try {
    if (process.platform === 'linux') {
      return parseProc(readFileSync(`/proc/${pid}/stat`, 'utf8'), readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    }
    return parsePs(execFileSync('ps', PS_ARGS(pid), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return undefined;
  }
}

/** Asynchronous, for the poll: never blocks the event loop. */
async function procInfo(pid: number): Promise<ProcInfo | undefined> {
  try {
    if (process.platform === 'linux') {
      const [stat, cmdline] = await Promise.all([
        readFile(`/proc/${pid}/stat`, 'utf8'),
        readFile(`/proc/${pid}/cmdline`, 'utf8'),
      ]);
      return parseProc(stat, cmdline);
    }
    return parsePs((await promisify(execFile)('ps', PS_ARGS(pid))).stdout);
  } catch {
    return undefined;
  }
}

export type LauncherChain = Array<{ pid: number; startedAt: string }>;

/**
 * The launcher chain above this process, nearest first (empty when not started through a package manager). Call it
 * first thing at start-up: a launcher that already exited cuts the walk short and goes unwatched.
 */
export function launcherChain(): LauncherChain {
  if (process.platform === 'win32') return [];
  const chain: LauncherChain = [];
  let pid = process.ppid;
  for (let depth = 0; depth < MAX_DEPTH && pid > 1; depth++) {
    const info = procInfoNow(pid);
    if (!info || !isLauncher(info.args)) break;
    chain.push({ pid, startedAt: info.startedAt });
    pid = info.ppid;
  }
  return chain;
}

/**
 * Calls `onGone(pid)` once when any launcher above this process has exited. Returns a stop function. The poll timer
 * is unref'd: it never keeps the process alive.
 */
export function watchLaunchers(chain: LauncherChain, onGone: (pid: number) => void): () => void {
  if (chain.length === 0) return () => {};
  const direct = process.ppid;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const check = async () => {
    if (stopped) return;
    // A reparented process lost its direct parent even if that pid was reused since.
    if (process.ppid !== direct) return onGone(direct);
    for (const { pid, startedAt } of chain) {
      const info = await procInfo(pid);
      if (stopped) return;
      if (!info || info.startedAt !== startedAt) return onGone(pid);
    }
    if (!stopped) timer = setTimeout(check, POLL_MS).unref();
  };
  timer = setTimeout(check, POLL_MS).unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
