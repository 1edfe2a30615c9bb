// The CLI as users run it (`pnpm start` = `node --import tsx src/cli/main.ts start`) in demo mode (banner with the real URL, curl-style call and
// the openai SDK, SIGTERM exits 0), a config file with env interpolation, and config errors naming the bad path.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAllSimulators } from '@switchyard/simulators';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { chatCompletionSchema } from '../src/providers/openai/openai-response-schema.js';

const MAIN = new URL('../src/cli/main.ts', import.meta.url).pathname;
const BASE_ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' };

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (re: RegExp, ms = 45_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const m = re.exec(out);
      if (m) return m;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${re} in output:\n${out}\n${err}`);
  };
  return { child, exited, waitFor, output: () => ({ out, err }) };
}

describe('switchyard CLI', () => {
  it('--help documents every flag and the registered commands', async () => {
    const p = run(['start', '--help']);
    expect(await p.exited).toBe(0);
    for (const flag of ['--config', '--host', '--port', 'SWITCHYARD_CONFIG', 'DEMO MODE']) {
      expect(p.output().out).toContain(flag);
    }
    const top = run(['--help']);
    expect(await top.exited).toBe(0);
    for (const cmd of ['start', 'keys', 'credits', 'spend', 'ledger']) expect(top.output().out).toContain(cmd);
  }, 90_000);

  it('demo mode: banner with the real URL, serves HTTP and the openai SDK, SIGTERM exits 0', async () => {
    const p = run(['start', '--port', '0']);
    const [, url] = (await p.waitFor(/Gateway:\s+(http:\/\/127\.0\.0\.1:\d+)\/v1/)) as RegExpExecArray;
    expect(p.output().out).toContain('DEMO MODE');
    expect(p.output().out).toContain(`curl -s ${url}/v1/chat/completions`);
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'Hello!' }] }),
    });
    expect(res.status).toBe(200);
    expect(chatCompletionSchema.safeParse(await res.json()).success).toBe(true);
    const sdk = new OpenAI({ apiKey: 'anything', baseURL: `${url}/v1`, maxRetries: 0 });
    const completion = await sdk.chat.completions.create({
      model: 'gemini/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 90_000);

  it('demo mode with SWITCHYARD_ADMIN_TOKEN: admin API on a throw-away store, keys enforced once one exists', async () => {
    const p = run(['start', '--port', '0'], { SWITCHYARD_ADMIN_TOKEN: 'adm-demo-token' });
    const [, url] = (await p.waitFor(/admin API at (http:\/\/127\.0\.0\.1:\d+)\/admin\/v1/)) as RegExpExecArray;
    const chat = (key?: string) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
        body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
      });
    expect((await chat()).status).toBe(200);
    const created = await fetch(`${url}/admin/v1/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer adm-demo-token' },
      body: JSON.stringify({ name: 'demo', credits_usd: '1.00' }),
    });
    expect(created.status).toBe(201);
    const { key, id } = (await created.json()) as { key: string; id: string };
    expect(key).toMatch(/^sk-sy-/);
    expect((await chat()).status).toBe(401);
    expect((await chat(key)).status).toBe(200);
    const shown = await fetch(`${url}/admin/v1/keys/${id}`, { headers: { authorization: 'Bearer adm-demo-token' } });
    const body = (await shown.json()) as { spent_usd: string };
    expect(Number(body.spent_usd)).toBeGreaterThan(0);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 90_000);

  it('config file with ${ENV} interpolation routes to the configured provider', async () => {
    const sims = await startAllSimulators({ apiKey: 'sk-from-env' });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'sy-cli-'));
      const file = join(dir, 'switchyard.yaml');
      writeFileSync(
        file,
        [
          'server: { host: 127.0.0.1, port: ${PORT:-0} }',
          'providers:',
          `  openai: { kind: openai, apiKey: \${MY_OPENAI_KEY}, baseURL: "${sims.openai.url}/v1" }`,
          'routes:',
          '  default: { targets: [openai/gpt-4o-mini] }',
        ].join('\n'),
      );
      const p = run(['start'], { SWITCHYARD_CONFIG: file, MY_OPENAI_KEY: 'sk-from-env', LOG_LEVEL: 'info' });
      const [, url] = (await p.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/)) as RegExpExecArray;
      expect(p.output().out).not.toContain('DEMO MODE');
      expect(p.output().out).not.toContain('sk-from-env');
      const sdk = new OpenAI({ apiKey: 'client', baseURL: `${url}/v1`, maxRetries: 0 });
      const res = await sdk.chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] });
      expect(res.choices).toHaveLength(1);
      // Hot reload: a new alias becomes routable without a restart; a broken edit keeps the old config.
      writeFileSync(file, readFileSync(file, 'utf8').replace('  default:', '  renamed:'));
      let served = false;
      for (let i = 0; i < 100 && !served; i++) {
        await new Promise((r) => setTimeout(r, 100));
        served = await sdk.chat.completions
          .create({ model: 'renamed', messages: [{ role: 'user', content: 'x' }] })
          .then(
            () => true,
            () => false,
          );
      }
      expect(served).toBe(true);
      writeFileSync(file, 'providers: [broken');
      await new Promise((r) => setTimeout(r, 500));
      const still = await sdk.chat.completions.create({ model: 'renamed', messages: [{ role: 'user', content: 'x' }] });
      expect(still.choices).toHaveLength(1);
      p.child.kill('SIGINT');
      expect(await p.exited).toBe(0);
    } finally {
      await sims.close();
    }
  }, 90_000);

  it('a bad config exits 1 naming the bad path and the missing variable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-cli-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'providers:\n  groq: { kind: openai-compatible, baseURL: not-a-url }\n');
    const p = run(['start', '--config', bad]);
    expect(await p.exited).toBe(1);
    expect(p.output().err).toContain('providers.groq.baseURL: Invalid URL');
    const missing = join(dir, 'missing.yaml');
    writeFileSync(missing, 'providers:\n  openai: { kind: openai, apiKey: ${NOPE_KEY} }\n');
    const q = run(['start', '--config', missing]);
    expect(await q.exited).toBe(1);
    expect(q.output().err).toContain('environment variable NOPE_KEY is not set');
  }, 90_000);
});
