// Profiling entry for the Switchyard CLI (used with --cpu-prof): runs `argv[2]` (the CLI's main.ts) with the rest
// of argv, and at exit saves the source maps of every loaded workspace module. tsx serves whitespace-minified
// code, so a profile's line:column only means something through these maps.
import { readdirSync, writeFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = process.argv[2];
const out = process.env.BENCH_SOURCEMAP_DIR;
if (!cli || !out) throw new Error('usage: BENCH_SOURCEMAP_DIR=dir switchyard-profiled <cli main.ts> ...args');
const packages = fileURLToPath(new URL('../../../packages/', import.meta.url));

process.on('exit', () => {
  const maps: Record<string, unknown> = {};
  for (const pkg of readdirSync(packages)) {
    const src = path.join(packages, pkg, 'src');
    let files: string[] = [];
    try {
      files = readdirSync(src, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const rel of files.filter((f) => f.endsWith('.ts'))) {
      const url = pathToFileURL(path.join(src, rel)).href;
      const map = findSourceMap(url);
      if (map) maps[url] = map.payload;
    }
  }
  writeFileSync(path.join(out, `sourcemaps.${process.pid}.json`), JSON.stringify(maps));
});

process.argv = [process.argv[0] as string, cli, ...process.argv.slice(3)];
await import(pathToFileURL(cli).href);
