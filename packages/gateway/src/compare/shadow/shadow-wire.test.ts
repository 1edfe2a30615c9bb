// Shadow traffic as `switchyard start` wires it: metrics on /metrics, GET /admin/v1/shadow behind the admin token,
// and `switchyard compare --from-shadow` writing the three reports from what the gateway recorded.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AllSimulators, startAllSimulators } from '@switchyard/simulators';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wireGateway } from '../../cli/wire.js';
import { validateConfig } from '../../config/load-config.js';
import { listen, type RunningGateway } from '../../http/listen.js';
import { runCompareCommand } from '../compare-command.js';
import type { Report } from '../report/report-model.js';

const TOKEN = 'shadow-admin-token';
const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-shadow-wire-'));
let sims: AllSimulators;
let gw: RunningGateway;
let wired: Awaited<ReturnType<typeof wireGateway>>;

beforeAll(async () => {
  sims = await startAllSimulators({ apiKey: 'k' });
  const config = validateConfig({
    providers: {
      openai: { kind: 'openai', apiKey: 'k', baseURL: `${sims.openai.url}/v1` },
      anthropic: { kind: 'anthropic', apiKey: 'k', baseURL: sims.anthropic.url },
    },
    routes: {
      main: {
        targets: ['openai/gpt-4o-mini'],
        shadow: { target: 'anthropic/claude-haiku-4-5', sampleRate: 1, maxUsdPerDay: '1' },
      },
    },
    accounts: { store: `sqlite:${path.join(dir, 'a.db')}` },
  });
  wired = await wireGateway(config, pino({ level: 'silent' }), { SWITCHYARD_ADMIN_TOKEN: TOKEN });
  gw = await listen(config, { ...wired.options, host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await gw?.close(1_000);
  await wired?.close();
  await sims?.close();
  rmSync(dir, { recursive: true, force: true });
});

const admin = (p: string, token?: string) =>
  fetch(`${gw.url}/admin${p}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe('shadow traffic through the CLI wiring', () => {
  it('records pairs behind the admin token, exports metrics, and compare --from-shadow reports them', async () => {
    // The accounts store starts open (no keys yet), so these requests are admitted without a key.
    for (const stream of [false, true]) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'main', stream, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(200);
      await res.text();
    }
    expect((await admin('/v1/shadow')).status).toBe(401);
    let view: { data: unknown[]; budgets: Array<{ route: string; spent_nanos: string; cap_usd: string }> } = {
      data: [],
      budgets: [],
    };
    for (let i = 0; i < 250 && view.data.length < 2; i++) {
      view = (await (await admin('/v1/shadow', TOKEN)).json()) as typeof view;
      if (view.data.length < 2) await new Promise((r) => setTimeout(r, 20));
    }
    expect(view.data).toHaveLength(2);
    expect(view.budgets[0]).toMatchObject({ route: 'main', cap_usd: '1.000000000' });
    expect(BigInt(view.budgets[0]?.spent_nanos ?? '0')).toBeGreaterThan(0n);

    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toContain(
      'switchyard_shadow_requests_total{route="main",target="anthropic/claude-haiku-4-5",outcome="ok"} 2',
    );

    const out = path.join(dir, 'shadow-report');
    const code = await runCompareCommand(
      ['--from-shadow', 'main', '--since', '1h', '--gateway', gw.url, '--out', out],
      {
        SWITCHYARD_ADMIN_TOKEN: TOKEN,
      },
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
    expect(report.kind).toBe('shadow');
    expect(report.models.map((m) => m.model)).toEqual(['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5']);
    expect(report.models[1]?.similarity?.pairs).toBe(2);
    expect(report.models[1]?.costNanos).toBe(view.budgets[0]?.spent_nanos);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('<svg');
  }, 60_000);
});
