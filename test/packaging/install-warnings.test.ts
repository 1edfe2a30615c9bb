// A clean `pnpm install` prints no "Ignored build scripts: …" warning, which looks like a failure to a newcomer.
// pnpm 10 runs no dependency's install scripts unless allowed, and warns about each one that is neither allowed
// (`onlyBuiltDependencies`) nor knowingly skipped (`ignoredBuiltDependencies`). This test finds every installed
// package that has such a script (or a binding.gyp, which pnpm builds with node-gyp) and checks it is listed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = new URL('../..', import.meta.url).pathname;
const STORE = join(REPO, 'node_modules/.pnpm');

function workspaceList(name: string): string[] {
  const yaml = readFileSync(join(REPO, 'pnpm-workspace.yaml'), 'utf8');
  const block = new RegExp(`^${name}:\\n((?:[ \\t]+-.*\\n|#.*\\n)*)`, 'm').exec(yaml)?.[1] ?? '';
  return [...block.matchAll(/^\s+-\s+["']?([^"'\s#]+)["']?/gm)].map((m) => m[1] as string);
}

function packagesWithBuildScripts(): string[] {
  const found = new Set<string>();
  for (const entry of readdirSync(STORE)) {
    const nm = join(STORE, entry, 'node_modules');
    if (!existsSync(nm)) continue;
    for (const top of readdirSync(nm)) {
      const dirs = top.startsWith('@') ? readdirSync(join(nm, top)).map((x) => join(top, x)) : [top];
      for (const dir of dirs) {
        let pkg: { name?: string; scripts?: Record<string, string> };
        try {
          pkg = JSON.parse(readFileSync(join(nm, dir, 'package.json'), 'utf8'));
        } catch {
          continue; // not a package (e.g. .bin)
        }
        const s = pkg.scripts ?? {};
        if (s.preinstall || s.install || s.postinstall || existsSync(join(nm, dir, 'binding.gyp'))) {
          found.add(pkg.name ?? dir);
        }
      }
    }
  }
  return [...found].sort();
}

describe('clean install', () => {
  it('every dependency with a build script is either allowed or knowingly ignored', () => {
    const listed = new Set([...workspaceList('onlyBuiltDependencies'), ...workspaceList('ignoredBuiltDependencies')]);
    expect(listed.has('better-sqlite3')).toBe(true); // the parser read the file
    const withScripts = packagesWithBuildScripts();
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('the last install here ignored no build', () => {
    const modules = readFileSync(join(REPO, 'node_modules/.modules.yaml'), 'utf8');
    const ignored = /"?ignoredBuilds"?:\s*(\[[^\]]*\])/.exec(modules)?.[1];
    expect(ignored === undefined || ignored.replace(/\s/g, '') === '[]', ignored).toBe(true);
  });
});
