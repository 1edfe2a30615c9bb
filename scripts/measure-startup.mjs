#!/usr/bin/env node
// Measures start-up as a new user meets it: from spawning `pnpm start` (demo mode) to the first 200 from /healthz.
// Runs N times (default 5) on free ports and prints each run and the median, in milliseconds.
// Usage: node scripts/measure-startup.mjs [runs] [repo dir ...]   (several dirs: interleaved runs, one median each,
// so a before/after comparison sees the same load)
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const runs = Number(process.argv[2] ?? 5);
const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath) ? process.env.npm_execpath : 'pnpm';

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const dirs = process.argv.length > 3 ? process.argv.slice(3) : [process.cwd()];

async function once(cwd) {
  const port = await freePort();
  const start = performance.now();
  const cmd = pnpm.endsWith('.cjs') || pnpm.endsWith('.js') ? process.execPath : pnpm;
  const args = cmd === pnpm ? ['start', '--port', String(port)] : [pnpm, 'start', '--port', String(port)];
  const child = spawn(cmd, args, { cwd, stdio: 'ignore', env: { ...process.env, LOG_LEVEL: 'warn' }, detached: true });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (let i = 0; i < 2400; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - start;
      if (child.exitCode !== null) throw new Error(`pnpm start exited ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('not healthy within 60 s');
  } finally {
    process.kill(-child.pid, 'SIGTERM'); // the whole process group: pnpm, its shell and the gateway
    await exited;
  }
}

const times = new Map(dirs.map((d) => [d, []]));
for (let i = 0; i < runs; i++) {
  for (const dir of dirs) {
    const ms = await once(dir);
    times.get(dir).push(ms);
    console.log(`${dir} run ${i + 1}: ${Math.round(ms)} ms`);
  }
}
for (const [dir, t] of times) {
  t.sort((a, b) => a - b);
  const median = t[Math.floor(t.length / 2)];
  console.log(
    `${dir}: median ${Math.round(median)} ms over ${runs} runs (min ${Math.round(t[0])}, max ${Math.round(t.at(-1))})`,
  );
}
