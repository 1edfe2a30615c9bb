#!/usr/bin/env node
// The one test command: system servers (installed if missing and we are root), typecheck, lint, then every suite.
// Its last line is vitest's plain `N passed, N failed` summary, which CI counts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd, args, opts = {}) => {
  const res = spawnSync(cmd, args, { stdio: 'inherit', shell: false, ...opts });
  return res.status ?? 1;
};
const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin} || test -x ${bin}`], { stdio: 'ignore' }).status === 0;

// Redis, PostgreSQL, Prometheus and Chromium run for real in the suites that need them (Debian packages).
const needed = [
  ['redis-server', 'redis-server'],
  ['/usr/lib/postgresql/15/bin/postgres', 'postgresql'],
  ['prometheus', 'prometheus'],
  ['promtool', 'prometheus'],
  // the admin console's browser suite (playwright-core drives Debian's chromium; browsers cannot be downloaded)
  ['/usr/bin/chromium', 'chromium'],
];
const missing = [...new Set(needed.filter(([bin]) => !has(bin)).map(([, pkg]) => pkg))];
if (missing.length > 0 && process.env.SWITCHYARD_SKIP_SYSTEM_DEPS !== '1') {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`[test] installing system packages: ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    if (run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env }) !== 0) {
      console.error('[test] apt-get install failed');
      process.exit(1);
    }
  } else {
    console.log(`[test] missing ${missing.join(', ')}: suites needing them will be skipped (install them to run all)`);
  }
}

const steps = [
  ['typecheck', ['tsc', ['-p', 'tsconfig.json']]],
  ['typecheck console page', ['tsc', ['-p', 'packages/console/tsconfig.json']]],
  ['lint', ['biome', ['check', '.']]],
];
for (const [name, [cmd, args]] of steps) {
  console.log(`[test] ${name}`);
  if (run(cmd, args) !== 0) {
    console.error(`[test] ${name} failed`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
console.log('[test] vitest');
process.exit(run('vitest', ['run', ...process.argv.slice(2)]));
