import {
  appendFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigHolder, configEvent, watchConfig } from './hot-reload.js';

interface Cfg {
  version: number;
}

/** A strict little loader: JSON with a numeric version, like the real one rejects a bad file by throwing. */
async function load(path: string): Promise<Cfg> {
  const { readFile } = await import('node:fs/promises');
  const raw = JSON.parse(await readFile(path, 'utf8')) as { version?: unknown };
  if (typeof raw.version !== 'number') throw new Error(`Invalid ${path}:\nversion: expected number`);
  return { version: raw.version };
}

const until = async (cond: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const watchers: Array<() => void> = [];
afterEach(() => {
  for (const c of watchers.splice(0)) c();
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'sy-reload-'));
  const file = join(dir, 'switchyard.json');
  writeFileSync(file, JSON.stringify({ version: 1 }));
  const holder = new ConfigHolder<Cfg>({ version: 1 });
  const lines: string[] = [];
  const w = watchConfig(
    file,
    load,
    (c) => holder.swap(c),
    {
      info: (m) => lines.push(`info ${m}`),
      error: (m) => lines.push(`error ${m}`),
    },
    { debounceMs: 30 },
  );
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  watchers.push(() => w.close());
  return { dir, file, holder, lines, close: () => w.close() };
}

describe('watchConfig', () => {
  it('applies a valid change; an in-flight holder read keeps its object', async () => {
    const { file, holder } = setup();
    const inFlight = holder.current;
    writeFileSync(file, JSON.stringify({ version: 2 }));
    await until(() => holder.current.version === 2);
    expect(inFlight.version).toBe(1);
  });

  it('rejects an invalid file with one clear log line and keeps the old config', async () => {
    const { file, holder, lines } = setup();
    writeFileSync(file, JSON.stringify({ version: 'two' }));
    await until(() => lines.some((l) => l.startsWith('error')));
    expect(holder.current.version).toBe(1);
    const errors = lines.filter((l) => l.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/keeping the previous config: Invalid .*switchyard\.json: version: expected number/);
    // and a later good save still applies
    writeFileSync(file, JSON.stringify({ version: 3 }));
    await until(() => holder.current.version === 3);
  });

  it('survives an editor-style rename-replace save, repeatedly', async () => {
    const { dir, file, holder } = setup();
    for (const v of [4, 5]) {
      const tmp = join(dir, `.switchyard.json.${v}.tmp`);
      writeFileSync(tmp, JSON.stringify({ version: v }));
      renameSync(tmp, file);
      await until(() => holder.current.version === v);
    }
  });

  it('debounces a burst of writes into one reload', async () => {
    const { file, holder, lines } = setup();
    for (let v = 10; v < 20; v++) writeFileSync(file, JSON.stringify({ version: v }));
    await until(() => holder.current.version === 19);
    await new Promise((r) => setTimeout(r, 100));
    expect(lines.filter((l) => l.startsWith('info'))).toHaveLength(1);
  });

  it('ignores other files in the directory and stops after close()', async () => {
    const { dir, file, holder, lines, close } = setup();
    writeFileSync(join(dir, 'other.json'), '{}');
    await new Promise((r) => setTimeout(r, 100));
    expect(lines).toHaveLength(0);
    close();
    writeFileSync(file, JSON.stringify({ version: 9 }));
    await new Promise((r) => setTimeout(r, 100));
    expect(holder.current.version).toBe(1);
  });

  it('a sibling file written over and over (a SQLite ledger -wal beside the config) starts no reload', async () => {
    // The config is a hard link to a file elsewhere: changing it there makes no event in the watched directory, so
    // only a reload started by some other event could pick the change up — and a sibling's events must not start one.
    const dir = mkdtempSync(join(tmpdir(), 'sy-sibling-'));
    const elsewhere = mkdtempSync(join(tmpdir(), 'sy-elsewhere-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    writeFileSync(join(elsewhere, 'real.json'), JSON.stringify({ version: 1 }));
    linkSync(join(elsewhere, 'real.json'), join(dir, 'switchyard.json'));
    const holder = new ConfigHolder<Cfg>({ version: 1 });
    const lines: string[] = [];
    const w = watchConfig(
      join(dir, 'switchyard.json'),
      load,
      (c) => holder.swap(c),
      { info: (m) => lines.push(`info ${m}`), error: (m) => lines.push(`error ${m}`) },
      { debounceMs: 30, settleMs: 50 },
    );
    watchers.push(() => w.close());
    writeFileSync(join(elsewhere, 'real.json'), JSON.stringify({ version: 2 })); // no event in `dir`
    for (let i = 0; i < 20; i++) {
      appendFileSync(join(dir, 'switchyard.db-wal'), 'frame');
      writeFileSync(join(dir, 'switchyard.db-shm'), String(i));
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 600)); // debounce + settle + a load, many times over
    expect(holder.current.version).toBe(1);
    expect(lines).toEqual([]);
    // The config's own name still counts: a write through it (the same inode) is picked up.
    writeFileSync(join(dir, 'switchyard.json'), JSON.stringify({ version: 2 }));
    await until(() => holder.current.version === 2);
    expect(lines).toEqual([`info config reloaded from ${join(dir, 'switchyard.json')}`]);
  });

  it('counts the events that can change the config, and only those', () => {
    const names = new Set(['switchyard.json', 'real.json']);
    expect(configEvent('switchyard.json', names)).toBe(true); // in-place write, or a temp renamed over it
    expect(configEvent(Buffer.from('switchyard.json'), names)).toBe(true);
    expect(configEvent('real.json', names)).toBe(true); // the symlink target edited in its own directory
    for (const k8s of ['..data', '..data_tmp', '..2026_01_01_12_00_00.123456789']) {
      expect(configEvent(k8s, names)).toBe(true);
    }
    expect(configEvent(null, names)).toBe(true); // a platform that gives no name
    for (const other of ['switchyard.db', 'switchyard.db-wal', 'switchyard.db-shm', 'switchyard.json~', '.x.swp']) {
      expect(configEvent(other, names)).toBe(false);
    }
  });

  it('picks up a Kubernetes ConfigMap update: a `..data` symlink swap, the file name never touched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-cm-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // The kubelet's layout: file -> ..data/file, ..data -> ..<timestamp> (a real directory).
    mkdirSync(join(dir, '..2026_01_01_a'));
    writeFileSync(join(dir, '..2026_01_01_a', 'switchyard.json'), JSON.stringify({ version: 1 }));
    symlinkSync('..2026_01_01_a', join(dir, '..data'));
    symlinkSync('..data/switchyard.json', join(dir, 'switchyard.json'));
    const holder = new ConfigHolder<Cfg>({ version: 1 });
    const lines: string[] = [];
    const w = watchConfig(
      join(dir, 'switchyard.json'),
      load,
      (c) => holder.swap(c),
      {
        info: (m) => lines.push(`info ${m}`),
        error: (m) => lines.push(`error ${m}`),
      },
      { debounceMs: 30, settleMs: 50 },
    );
    watchers.push(() => w.close());
    for (const [v, stamp] of [
      [2, 'b'],
      [3, 'c'],
    ] as const) {
      const next = `..2026_01_01_${stamp}`;
      mkdirSync(join(dir, next));
      writeFileSync(join(dir, next, 'switchyard.json'), JSON.stringify({ version: v }));
      symlinkSync(next, join(dir, '..data_tmp'));
      renameSync(join(dir, '..data_tmp'), join(dir, '..data')); // the atomic swap
      await until(() => holder.current.version === v);
    }
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('never loads a half-written file: a slow in-place writer is waited for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-half-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'switchyard.conf');
    writeFileSync(file, 'version=1\nroutes=1\n');
    // A line-based format where a truncated file still parses (like YAML): a half file loses `routes`.
    const seen: string[] = [];
    const loadLines = async (p: string) => {
      const { readFile } = await import('node:fs/promises');
      return (await readFile(p, 'utf8')).trim();
    };
    const lines: string[] = [];
    const w = watchConfig(
      file,
      loadLines,
      (c) => seen.push(c),
      {
        info: (m) => lines.push(`info ${m}`),
        error: (m) => lines.push(`error ${m}`),
      },
      { debounceMs: 20, settleMs: 1_000 },
    );
    watchers.push(() => w.close());
    writeFileSync(file, 'version=2\n'); // first half…
    await new Promise((r) => setTimeout(r, 150)); // …a pause far beyond the debounce…
    appendFileSync(file, 'routes=2\n'); // …then the rest
    await until(() => seen.length > 0, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual(['version=2\nroutes=2']);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});
