// #13: a real gateway process whose config is mounted like a Kubernetes ConfigMap (file -> ..data/file,
// ..data -> ..<timestamp>/). An update is an atomic `..data` symlink swap that never touches the file's own name:
// the gateway must pick it up. A half-written in-place edit must never be applied.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, sleep, spawnGateway, waitFor } from '../support/gateway.js';

const dir = mkdtempSync(join(tmpdir(), 'sy-configmap-'));
let gw: GatewayProcess;

const config = (aliases: string[]) =>
  JSON.stringify({
    providers: { openai: { kind: 'openai', apiKey: 'sk-x', baseURL: 'http://127.0.0.1:9/v1' } },
    routes: Object.fromEntries(aliases.map((a) => [a, { targets: ['openai/gpt-4o-mini'] }])),
  });

async function models(): Promise<string[]> {
  const res = await fetch(`${gw.url}/v1/models`, { signal: AbortSignal.timeout(5_000) });
  return ((await res.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);
}

let version = 0;
/** The kubelet's update: a new timestamped directory, then an atomic rename of a `..data_tmp` symlink. */
function configMapUpdate(text: string) {
  const stamp = `..2026_12_06_${++version}`;
  mkdirSync(join(dir, stamp));
  writeFileSync(join(dir, stamp, 'switchyard.json'), text);
  symlinkSync(stamp, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
}

beforeAll(async () => {
  configMapUpdate(config(['first']));
  symlinkSync('..data/switchyard.json', join(dir, 'switchyard.json'));
  gw = await spawnGateway(['start', '--config', join(dir, 'switchyard.json'), '--port', '0'], {});
}, 120_000);
afterAll(async () => {
  if (gw?.alive()) await gw.stop('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('config reload from a ConfigMap-style mount', () => {
  it('a ..data symlink swap is applied', async () => {
    expect(await models()).toContain('first');
    configMapUpdate(config(['first', 'second']));
    await waitFor(async () => (await models()).includes('second'), 20_000, 'reloaded config');
    expect(gw.stdout()).toMatch(/config reloaded/);
  });

  it('a slow in-place writer: the half-written file is never applied', async () => {
    // Break the symlink chain for this case: an ordinary file edited in place, written in two halves.
    const file = join(dir, `..2026_12_06_${version}`, 'switchyard.json');
    const full = config(['first', 'second', 'third']);
    const cut = full.indexOf('"third"');
    const seen = new Set<string>();
    const poll = setInterval(
      () =>
        void models()
          .then((m) => seen.add(m.join(',')))
          .catch(() => {}),
      20,
    );
    try {
      writeFileSync(file, full.slice(0, cut)); // not JSON yet
      await sleep(120);
      appendFileSync(file, full.slice(cut));
      await waitFor(async () => (await models()).includes('third'), 20_000, 'complete config applied');
    } finally {
      clearInterval(poll);
    }
    // Only the old and the complete config were ever in force, and the half file was never even parsed.
    for (const list of seen) expect(['first,second', 'first,second,third']).toContain(list);
    expect(gw.stdout() + gw.stderr()).not.toMatch(/config reload rejected/);
    expect(gw.alive()).toBe(true);
  });
});
