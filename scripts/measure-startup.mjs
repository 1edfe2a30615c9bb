#!/usr/bin/env node
// Measures start-up as a new user meets it: from spawning `pnpm start` (demo mode) to the first 200 from /healthz.
// Runs N times (default 5) on free ports and prints each run and the median, in milliseconds.
// Usage: node scripts/measure-startup.mjs [runs] [-- extra start args]
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

async function once() {
  const port = await freePort();
  const start = performance.now();
  const cmd = pnpm.endsWith('.cjs') || pnpm.endsWith('.js') ? process.execPath : pnpm;
  const args = cmd === pnpm ? ['start', '--port', String(port)] : [pnpm, 'start', '--port', String(port)];
  const child = spawn(cmd, args, { stdio: 'ignore', env: { ...process.env, LOG_LEVEL: 'warn' }, detached: true });
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

const times = [];
for (let i = 0; i < runs; i++) {
  const ms = await once();
  times.push(ms);
  console.log(`run ${i + 1}: ${Math.round(ms)} ms`);
}
times.sort((a, b) => a - b);
console.log(
  `median ${Math.round(times[Math.floor(times.length / 2)])} ms over ${runs} runs (min ${Math.round(times[0])}, max ${Math.round(times.at(-1))})`,
);
