// Each package builds to publishable ESM + .d.ts, and the built core loads from both ESM (import) and CJS
// (require of an ES module, supported unflagged since Node 20.19).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules/.bin/tsc');
const work = mkdtempSync(join(tmpdir(), 'sy-build-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function build(pkg: string): string {
  const out = join(work, pkg);
  execFileSync(tsc, ['-p', join(root, 'packages', pkg, 'tsconfig.build.json'), '--outDir', join(out, 'dist')], {
    stdio: 'pipe',
  });
  // Lay the package out as npm would publish it: package.json with publishConfig applied, plus dist/.
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8'));
  writeFileSync(join(out, 'package.json'), JSON.stringify({ ...manifest, ...manifest.publishConfig }));
  // Its runtime dependencies resolve from the workspace package's own node_modules.
  symlinkSync(join(root, 'packages', pkg, 'node_modules'), join(out, 'node_modules'));
  return out;
}

describe('publishable builds', () => {
  it.each(['core', 'simulators', 'gateway'])(
    '%s builds to ESM with type declarations and an exports map',
    (pkg) => {
      const out = build(pkg);
      expect(existsSync(join(out, 'dist/index.js'))).toBe(true);
      expect(existsSync(join(out, 'dist/index.d.ts'))).toBe(true);
      const manifest = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
      expect(manifest.type).toBe('module');
      expect(manifest.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
      // Published CLIs point at built JavaScript with a shebang, not at TypeScript sources.
      for (const bin of Object.values<string>(manifest.bin ?? {})) {
        expect(bin).toMatch(/^\.\/dist\/.+\.js$/);
        expect(readFileSync(join(out, bin), 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
      }
      // No test files ship.
      const listing = execFileSync('find', [join(out, 'dist'), '-name', '*.test.*'])
        .toString()
        .trim();
      expect(listing).toBe('');
    },
    120_000,
  );

  it('built core loads from ESM and from CJS and computes the same cost', () => {
    const out = join(work, 'core');
    if (!existsSync(join(out, 'dist/index.js'))) build('core');
    const app = join(work, 'app');
    mkdirSync(join(app, 'node_modules/@switchyard'), { recursive: true });
    symlinkSync(out, join(app, 'node_modules/@switchyard/core'));
    const probe =
      'const u = c.openaiUsage({prompt_tokens: 1000, completion_tokens: 500, prompt_tokens_details: {cached_tokens: 200}});' +
      "const p = c.createStaticPriceSource({'openai/m': {input: '2.5', cacheRead: '1.25', output: '10'}}).lookup('openai', 'm');" +
      'console.log(typeof c.instrument, c.computeCost(u, p).totalNanos.toString());';
    writeFileSync(join(app, 'esm.mjs'), `import * as c from '@switchyard/core';\n${probe}\n`);
    writeFileSync(join(app, 'cjs.cjs'), `const c = require('@switchyard/core');\n${probe}\n`);
    const esm = execFileSync(process.execPath, [join(app, 'esm.mjs')], { cwd: app })
      .toString()
      .trim();
    const cjs = execFileSync(process.execPath, ['--no-warnings', join(app, 'cjs.cjs')], { cwd: app })
      .toString()
      .trim();
    // (800 × $2.5 + 200 × $1.25 + 500 × $10) per million tokens = $0.00725 = 7,250,000 nano-USD.
    expect(esm).toBe('function 7250000');
    expect(cjs).toBe(esm);
  }, 120_000);
});
