// The built front-end (assets/, produced by `pnpm --filter @switchyard/console build:assets` and committed), read once
// and asynchronously when the console is created; requests wait on that promise, never on the disk.
import { readFile } from 'node:fs/promises';

export interface Asset {
  body: Buffer;
  type: string;
}

export const ASSETS_DIR = new URL('../../assets/', import.meta.url);

/** Served path (below the mount point) → file in assets/. */
export const ASSET_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/assets/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

export async function loadAssets(dir: URL = ASSETS_DIR): Promise<Map<string, Asset>> {
  const out = new Map<string, Asset>();
  await Promise.all(
    Object.entries(ASSET_FILES).map(async ([path, a]) => {
      out.set(path, { body: await readFile(new URL(a.file, dir)), type: a.type });
    }),
  );
  return out;
}
