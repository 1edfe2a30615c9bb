// Config hot reload: watch the file's directory (editors often save by writing a temp file and renaming it over
// the original, which a watch on the file itself would lose), debounce bursts, re-load and validate, then hand
// the new config over. A bad file is one clear log line and the old config stays in force.
import { watch } from 'node:fs';
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
  const name = basename(file);
  const debounceMs = options.debounceMs ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let loading = false;
  let again = false;
  let closed = false;

  // One reload at a time; a change during a reload triggers exactly one more.
  const reload = async () => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      const next = await load(file);
      if (!closed) {
        onChange(next);
        log.info(`config reloaded from ${file}`);
      }
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

  const watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
    if (closed || (changed !== null && changed.toString() !== name)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), debounceMs);
  });
  watcher.on('error', (err) => log.error(`config watch failed for ${file}: ${err.message}`));

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}
