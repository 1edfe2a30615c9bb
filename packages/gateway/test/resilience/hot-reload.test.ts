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
/** performance.now() right after each applied reload. */
const reloadedAt: number[] = [];
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
    (c) => {
      gw.app.switchyard.reload(c);
      reloadedAt.push(performance.now());
    },
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
  const results: Array<{ ok: boolean; startedAt: number; endedAt: number; provider: string | null; detail: string }> =
    [];
  const worker = async (stream: boolean) => {
    while (!stop) {
      const startedAt = performance.now();
      try {
        const res = await fetch(`${gw.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'r', stream, messages: [{ role: 'user', content: 'hi' }] }),
          signal: AbortSignal.timeout(5_000),
        });
        const text = await res.text();
        const ok = res.status === 200 && (!stream || (text.includes('[DONE]') && !text.includes('"error"')));
        const provider = res.headers.get('x-switchyard-provider');
        results.push({
          ok,
          startedAt,
          endedAt: performance.now(),
          provider,
          detail: `${res.status} ${text.slice(0, 200)}`,
        });
      } catch (err) {
        results.push({ ok: false, startedAt, endedAt: performance.now(), provider: null, detail: String(err) });
      }
    }
  };
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** Waits until `n` more requests have completed. */
  const requests = async (n: number) => {
    const target = results.length + n;
    for (let i = 0; i < 500 && results.length < target; i++) await wait(10);
  };
  const logged = async (n: number) => {
    for (let i = 0; i < 300 && lines.length < n; i++) await wait(10);
  };
  const workers = [worker(true), worker(true), worker(false), worker(false)];

  await requests(6);
  save(yaml('s'));
  await logged(1);
  await requests(8);
  writeFileSync(file, 'providers: [not, a, mapping'); // invalid save
  await logged(2);
  const rejected = performance.now();
  await requests(8);
  save(yaml('p'));
  await logged(3);
  await requests(8);
  stop = true;
  await Promise.all(workers);

  const failed = results.filter((r) => !r.ok);
  expect(failed, JSON.stringify(failed.slice(0, 3))).toHaveLength(0);
  const [switched = 0, switchedBack = 0] = reloadedAt;
  // Started after a reload → new config. Finished before the next one → cannot have seen it.
  const between = (from: number, to: number) => results.filter((r) => r.startedAt >= from && r.endedAt < to);
  const onS = between(switched, switchedBack);
  expect(onS.length).toBeGreaterThan(4);
  expect(onS.map((r) => r.provider)).toEqual(onS.map(() => 's')); // including while the file was invalid
  expect(between(rejected, switchedBack).length).toBeGreaterThan(0);
  const back = between(switchedBack, Number.POSITIVE_INFINITY);
  expect(back.length).toBeGreaterThan(0);
  expect(back.map((r) => r.provider)).toEqual(back.map(() => 'p'));
  expect(lines.map((l) => l.split(' ')[0])).toEqual(['info', 'error', 'info']);
  expect(lines[1]).toMatch(/config reload rejected, keeping the previous config: .*config\.yaml/);
  expect(lines.join('\n')).not.toMatch(/sk-/);
});
