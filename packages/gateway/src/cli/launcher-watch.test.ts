import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isLauncher, launcherChain } from './launcher-watch.js';

describe('isLauncher', () => {
  it.each([
    [['npm exec pnpm@10 start'], true], // npm's rewritten process title
    [['node', '/usr/lib/node_modules/pnpm/bin/pnpm.cjs', 'start'], true],
    [['node', '/usr/bin/pnpm', 'start'], true],
    [['/home/u/.cache/node/corepack/pnpm/10.0.0/bin/pnpm.cjs', 'start'], true],
    [['sh', '-c', 'node --import tsx packages/gateway/src/cli/main.ts start'], true],
    [['/bin/sh', '-c', "'pnpm' start"], true],
    [['yarn', 'start'], true],
  ])('%j is a launcher', (args, expected) => {
    expect(isLauncher(args)).toBe(expected);
  });

  it.each([
    [['bash'], false], // an interactive shell: the user's terminal, not a launcher
    [['-bash'], false],
    [['node', '/x/vitest/dist/workers/forks.js'], false],
    [['systemd', '--user'], false],
    [['node', 'my-app.js', 'uses', 'pnpm-lock.yaml'], false],
    [[], false],
  ])('%j is not', (args, expected) => {
    expect(isLauncher(args)).toBe(expected);
  });
});

describe('launcherChain', () => {
  it('is empty when started directly (the test runner is not a launcher)', async () => {
    expect(launcherChain()).toEqual([]);
  });

  it.runIf(process.platform === 'linux')(
    'finds the sh -c above a child started through a shell',
    async () => {
      const probe = `import('${new URL('./launcher-watch.ts', import.meta.url).pathname}').then(async (m) => console.log(JSON.stringify(m.launcherChain())))`;
      const child = spawn('sh', ['-c', `${process.execPath} --import tsx -e "${probe}"; true`], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      await new Promise((r) => child.once('exit', r));
      const chain = JSON.parse(out.trim()) as Array<{ pid: number }>;
      expect(chain.map((c) => c.pid)).toEqual([child.pid]);
    },
    60_000,
  );
});
