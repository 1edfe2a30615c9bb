// Config hot reload: watch the file's directory (editors save by renaming a temp file over the original; a
// Kubernetes ConfigMap update swaps a `..data` symlink), debounce bursts, wait until the file stops changing (a
// half-written file is never loaded), re-load and validate, then hand the new config over — only when its bytes
// differ from the config in force. A bad file is one clear log line and the old config stays in force.
import { type FSWatcher, readFileSync, realpathSync, watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

export interface ReloadLog {
  info(msg: string): void;
  error(msg: string): void;
}

export interface ConfigWatcher {
  close(): void;
}

export interface WatchOptions {
  /** Quiet period after the last file event before reloading. */
  debounceMs?: number;
  /** The file must read the same twice this far apart before it is loaded. Default max(300, debounceMs). */
  settleMs?: number;
}

/** Holds the current config. Requests read `current` once and keep that object, so a swap never affects them. */
export class ConfigHolder<C> {
  #current: C;
  constructor(initial: C) {
    this.#current = initial;
  }
  get current(): C {
    return this.#current;
  }
  swap(next: C): void {
    this.#current = next;
  }
}

export function watchConfig<C>(
  path: string,
  load: (path: string) => Promise<C>,
  onChange: (config: C) => void,
  log: ReloadLog,
  options: WatchOptions = {},
): ConfigWatcher {
  const file = resolve(path);
  const debounceMs = options.debounceMs ?? 100;
  const settleMs = options.settleMs ?? Math.max(300, debounceMs);
  let timer: NodeJS.Timeout | undefined;
  let loading = false;
  let again = false;
  let closed = false;
  // What is in force: an event that leaves these bytes unchanged (another file, a no-op swap) reloads nothing.
  // Read now, synchronously (once, at start-up): a write right after the watch starts must count as a change.
  let applied: Promise<Buffer | undefined> = Promise.resolve(readBytesNow(file));

  /** The file's bytes once two reads `settleMs` apart agree (a writer still writing keeps changing them). */
  const stableBytes = async (): Promise<Buffer | undefined> => {
    let before = await readBytes(file);
    for (let i = 0; i < MAX_SETTLE_ROUNDS && !closed; i++) {
      await sleep(settleMs);
      const now = await readBytes(file);
      if (before && now && before.equals(now)) return now;
      before = now;
    }
    return undefined;
  };

  // One reload at a time; a change during a reload triggers exactly one more.
  const reload = async () => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      const bytes = await stableBytes();
      if (closed) return;
      if (!bytes) throw new Error(`${file} could not be read, or did not stop changing`);
      if ((await applied)?.equals(bytes)) return;
      const next = await load(file);
      // Parse-then-swap only what was checked stable: a write that raced the load is picked up by its own event.
      const after = await readBytes(file);
      if (closed || !after?.equals(bytes)) return;
      onChange(next);
      applied = Promise.resolve(bytes);
      log.info(`config reloaded from ${file}`);
    } catch (err) {
      const text = err instanceof Error ? err.message : String(err);
      const msg = text.replace(/:\s*\n\s*/g, ': ').replace(/\s*\n\s*/g, '; '); // one line
      if (!closed) log.error(`config reload rejected, keeping the previous config: ${msg}`);
    } finally {
      loading = false;
      if (again && !closed) {
        again = false;
        void reload();
      }
    }
  };

  // Whole directories: editors rename a temp file over the config, and a Kubernetes ConfigMap swaps a `..data`
  // symlink (the config file itself never changes name). When the config is a symlink, the directory of the file it
  // points to is watched too (an in-place edit there), re-resolved after each reload. Only the names that can change
  // the config count (`configEvent`): a SQLite ledger beside the config (the usual layout) writes its `-wal` file on
  // every commit — two or three events a request under load, each a reload timer reset, and at light load a whole
  // reload check (two reads of the config and a realpathSync) after every commit, for a file that did not change.
  const watchers = new Map<string, FSWatcher>();
  let names = new Set([basename(file)]);
  const onEvent = (_type: string, filename: string | Buffer | null) => {
    if (closed || !configEvent(filename, names)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload().then(rewatch), debounceMs);
  };
  const rewatch = () => {
    if (closed) return;
    const dirs = new Set([dirname(file)]);
    names = new Set([basename(file)]);
    try {
      const real = realpathSync(file);
      dirs.add(dirname(real));
      names.add(basename(real));
    } catch {
      // missing mid-swap: the next event re-resolves it
    }
    for (const [dir, w] of watchers)
      if (!dirs.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, onEvent);
        w.on('error', (err) => log.error(`config watch failed for ${dir}: ${err.message}`));
        watchers.set(dir, w);
      } catch (err) {
        log.error(`config watch failed for ${dir}: ${(err as Error).message}`);
      }
    }
  };
  rewatch();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}

/**
 * Whether a watched directory's event can concern the config: its own name or its symlink target's (a write in
 * place, or a temp file renamed over it — the rename's event carries the final name), or a Kubernetes atomic-writer
 * entry (`..data`, `..data_tmp`, `..<timestamp>`). No name (a platform that gives none): assume it does.
 */
export function configEvent(filename: string | Buffer | null | undefined, names: ReadonlySet<string>): boolean {
  if (filename === null || filename === undefined) return true;
  const name = filename.toString();
  return names.has(name) || name.startsWith('..');
}

/** Bounds the wait for a file that never stops changing (then the reload is refused, the old config stays). */
const MAX_SETTLE_ROUNDS = 20;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBytesNow(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The file's bytes through any symlinks, or undefined while it is missing (mid-swap). */
async function readBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}
