// The committed assets/ must be what the sources build to: the gateway serves them as they are (no build step
// on start), so a source change without `pnpm --filter @switchyard/console build:assets` would ship a stale page.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { bundleAssets } from '../scripts/bundle.js';

const committed = (name: string) => readFile(new URL(`../assets/${name}`, import.meta.url));

describe('console assets', () => {
  it('are up to date with web/ (run `pnpm --filter @switchyard/console build:assets` after changing it)', async () => {
    const built = await bundleAssets();
    expect([...built.keys()].sort()).toEqual(['app.css', 'app.js']);
    for (const [name, body] of built) {
      expect(Buffer.from(body).equals(await committed(name)), `assets/${name} is stale`).toBe(true);
    }
    const html = await readFile(new URL('../web/index.html', import.meta.url));
    expect(html.equals(await committed('index.html')), 'assets/index.html is stale').toBe(true);
  }, 60_000);
});
