// Builds the console page into assets/ (committed, so `pnpm start` from a clean checkout serves it with no build
// step). `assets-fresh.test.ts` rebuilds in memory and fails when the committed files differ from the sources.
import { copyFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleAssets } from './bundle.js';

const out = fileURLToPath(new URL('../assets/', import.meta.url));
const files = await bundleAssets();
for (const [name, body] of files) await writeFile(`${out}${name}`, body);
await copyFile(fileURLToPath(new URL('../web/index.html', import.meta.url)), `${out}index.html`);
console.log(`console assets: ${[...files].map(([n, b]) => `${n} ${(b.length / 1024).toFixed(1)} KB`).join(', ')}`);
