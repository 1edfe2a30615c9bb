// How the Switchyard contenders are started. Default `dist`: the built JavaScript, as the published package runs
// (`node dist/cli/main.js`), with the `switchyard-dist` export condition so the workspace packages resolve to their
// `dist/` too (their plain exports are the .ts sources, for tsx and vitest). `tsx`: from source, as `pnpm start`.
// Built on demand: `pnpm build` runs once per bench process when a package's dist is missing or older than its src.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type SwitchyardRuntime = 'dist' | 'tsx';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['core', 'simulators', 'console', 'gateway'];
export const DIST_CONDITION = '--conditions=switchyard-dist';
export const DIST_CLI = path.join(ROOT, 'packages/gateway/dist/cli/main.js');

/** `BENCH_RUNTIME=tsx` (or `pnpm bench --tsx`) runs from source; anything else runs the build. */
export function switchyardRuntime(): SwitchyardRuntime {
  return process.env.BENCH_RUNTIME === 'tsx' ? 'tsx' : 'dist';
}

// What tsconfig.build.json leaves out of dist.
const NOT_BUILT = /(^|\/)(bench|testing|test-support)\//;

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!rel.endsWith(ext) || rel.endsWith(`.test${ext}`) || rel.endsWith('.d.ts') || NOT_BUILT.test(rel)) continue;
    newest = Math.max(newest, statSync(path.join(dir, rel)).mtimeMs);
  }
  return newest;
}

/** True when a package's dist is missing or older than one of its sources. */
export function distStale(root = ROOT, packages: readonly string[] = PACKAGES): boolean {
  return packages.some((p) => {
    const dist = path.join(root, 'packages', p, 'dist');
    if (!existsSync(path.join(dist, 'index.js'))) return true;
    return newestMtime(dist, '.js') < newestMtime(path.join(root, 'packages', p, 'src'), '.ts');
  });
}

let building: Promise<void> | undefined;

/** Runs `pnpm build` once per process when the dist is stale. */
export function ensureBuilt(log: (msg: string) => void = (m) => console.error(m)): Promise<void> {
  building ??= (async () => {
    if (!distStale()) return;
    log('building the packages (pnpm build): the Switchyard contenders run the built dist');
    const child = spawn('pnpm', ['build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`pnpm build failed (exit ${code}); run it to see why, or bench from source: --tsx`);
  })();
  return building;
}

export type Core = typeof import('@switchyard/core');

/**
 * `@switchyard/core` for code the bench runs in its own process (the interceptor suite): the built dist, as a user's
 * app imports the published package, or the TypeScript source under `--tsx`. From source, tsx's transform alone
 * (names kept on every per-call closure) made a no-op `instrument()` call 50–75 µs slower than the build
 * (each in a process of its own).
 */
export async function loadCore(log?: (msg: string) => void): Promise<Core> {
  if (switchyardRuntime() === 'tsx') return import('@switchyard/core');
  await ensureBuilt(log);
  return import(pathToFileURL(path.join(ROOT, 'packages/core/dist/index.js')).href);
}
