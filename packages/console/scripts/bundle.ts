// One esbuild run: web/main.tsx (Preact + uPlot + CSS) → app.js and app.css, minified, in memory.
import { build } from 'esbuild';

export async function bundleAssets(): Promise<Map<string, Uint8Array>> {
  const web = new URL('../web/', import.meta.url).pathname;
  const r = await build({
    entryPoints: { app: `${web}main.tsx` },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    outdir: '/out',
    logLevel: 'silent',
  });
  const files = new Map<string, Uint8Array>();
  for (const f of r.outputFiles) files.set(f.path.slice('/out/'.length), f.contents);
  return files;
}
