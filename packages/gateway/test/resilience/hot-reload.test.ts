// Hot reload under traffic: the config file is rewritten (editor-style rename, then an invalid save, then a good
// one) while clients keep sending streaming and non-streaming requests. No request may fail.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@switchyard/simulators';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { watchConfig } from '../../src/config/hot-reload.js';
import { loadConfigFile } from '../../src/config/index.js';
import { listen, type RunningGateway } from '../../src/http/listen.js';
import { createRouteExecutor } from '../../src/routing/index.js';

let dir: string;
let file: string;
let p: Simulator;
let s: Simulator;
let gw: RunningGateway;
const lines: string[] = [];
let watcher: { close(): void };

const yaml = (target: string) => `
server: { host: 127.0.0.1, port: 0 }
providers:
  p: { kind: openai, baseURL: "${p.url}/v1", apiKey: sk-p }
  s: { kind: openai, baseURL: "${s.url}/v1", apiKey: sk-s }
routes:
  r: { strategy: fallback, targets: ["${target}/gpt-4o-mini"] }
`;

/** Editor-style save: write a temp file, rename it over the config. */
const save = (text: string) => {
  const tmp = join(dir, `.config.yaml.${Date.now()}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sy-hot-'));
  file = join(dir, 'config.yaml');
  // Slow-ish streams so some requests are in flight across each reload.
  p = await startSimulator({ provider: 'openai', scenario: { chunkDelayMs: 5, outputTokens: 8 } });
  s = await startSimulator({ provider: 'openai', scenario: { chunkDelayMs: 5, outputTokens: 8 } });
  writeFileSync(file, yaml('p'));
  gw = await listen(await loadConfigFile(file), {
    executor: createRouteExecutor(),
    log: { warn() {}, error() {} },
    host: '127.0.0.1',
    port: 0,
  });
  watcher = watchConfig(
    file,
    (f) => loadConfigFile(f),
    (c) => gw.app.switchyard.reload(c),
    {
      info: (m) => lines.push(`info ${m}`),
      error: (m) => lines.push(`error ${m}`),
    },
    { debounceMs: 30 },
  );
});

afterAll(async () => {
  watcher.close();
  await gw.close(1_000);
  await Promise.all([p.close(), s.close()]);
  rmSync(dir, { recursive: true, force: true });
});

it('reloads under traffic with zero failed requests; an invalid file keeps the old config', async () => {
  let stop = false;
  const results: Array<{ ok: boolean; provider: string | null; detail: string }> = [];
  const worker = async (stream: boolean) => {
    while (!stop) {
      try {
        const res = await fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'r', stream, messages: [{ role: 'user', content: 'hi' }] }),
          signal: AbortSignal.timeout(5_000),
        });
        const text = await res.text();
        const ok = res.status === 200 && (!stream || (text.includes('[DONE]') && !text.includes('"error"')));
        results.push({
          ok,
          provider: res.headers.get('x-switchyard-provider'),
          detail: `${res.status} ${text.slice(0, 200)}`,
        });
      } catch (err) {
        results.push({ ok: false, provider: null, detail: String(err) });
      }
    }
  };
  const workers = [worker(true), worker(true), worker(false), worker(false)];
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const servedBy = async (id: string) => {
    for (let i = 0; i < 100 && results.at(-1)?.provider !== id; i++) await wait(20);
    const n = results.length;
    await wait(150); // every request started from now on must go to `id`
    return results.slice(n + 4);
  };

  await wait(200);
  save(yaml('s'));
  const afterSwitch = await servedBy('s');
  writeFileSync(file, 'providers: [not, a, mapping'); // invalid save
  for (let i = 0; i < 100 && !lines.some((l) => l.startsWith('error')); i++) await wait(20);
  const whileInvalid = results.length;
  await wait(200);
  const invalidWindow = results.slice(whileInvalid + 4);
  save(yaml('p'));
  const afterSwitchBack = await servedBy('p');
  stop = true;
  await Promise.all(workers);

  const failed = results.filter((r) => !r.ok);
  expect(failed, JSON.stringify(failed.slice(0, 3))).toHaveLength(0);
  expect(results.length).toBeGreaterThan(20);
  expect(afterSwitch.every((r) => r.provider === 's')).toBe(true);
  expect(invalidWindow.length).toBeGreaterThan(0);
  expect(invalidWindow.every((r) => r.provider === 's')).toBe(true); // old config stayed
  expect(afterSwitchBack.every((r) => r.provider === 'p')).toBe(true);
  const errors = lines.filter((l) => l.startsWith('error'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/config reload rejected, keeping the previous config: .*config\.yaml/);
  expect(errors[0]).not.toMatch(/sk-/);
});
