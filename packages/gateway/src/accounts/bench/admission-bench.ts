// Admission + settle cost per request, sequential cycles, on sqlite and on redis+postgres (real local servers).
//   pnpm exec tsx packages/gateway/src/accounts/bench/admission-bench.ts [cycles=5000] [end-users] [--alerts]
// With `end-users`, the key also has end_user_budgets and each call names one of 100 end users (a third level).
// `--alerts` adds budget-alert webhooks (a local receiver): the same numbers show what alert detection costs.
// Reports admit latency (auth lookup + limits + reservation), the synchronous part of ticket.settle (what the
// response path pays), and wall time per cycle including the background settle and the final ledger flush.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createStaticPriceSource } from '@switchyard/core';
import { missingServers, startPostgres, startRedis } from '../../../../../test/support/servers.js';
import { parseAlerts } from '../../alerts/index.js';
import type { GatewayRequest, RoutePlan } from '../../pipeline/seams.js';
import { createAccounts } from '../index.js';

const cycles = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5000);
const endUsers = process.argv.includes('end-users');
const withAlerts = process.argv.includes('--alerts');
const receiver = http.createServer((_req, res) => res.writeHead(204).end());
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const alerts = withAlerts
  ? parseAlerts({
      webhooks: [
        {
          url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
          secret: 'whsec_bench_0123456789',
          lowBalanceUsd: '1',
        },
      ],
    })
  : undefined;
const prices = createStaticPriceSource({ 'openai/gpt-4o': { input: '2.5', output: 10 } });
const plan: RoutePlan = {
  name: 'openai/gpt-4o',
  strategy: 'single',
  targets: [
    { id: 'openai/gpt-4o', providerId: 'openai', kind: 'openai', baseURL: 'http://127.0.0.1:1', model: 'gpt-4o' },
  ],
  retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  fallbackOn: [],
  timeouts: { connectMs: 1000, firstByteMs: 1000, totalMs: 1000 },
};
const usage = { inputTokens: 900, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

async function bench(label: string, store: string) {
  const acc = await createAccounts({ store, priceSource: prices, ...(alerts && { alerts: { options: alerts } }) });
  const { secret } = await acc.service.createKey({
    name: 'bench',
    creditsNanos: 10n ** 15n,
    budgets: { dailyNanos: 10n ** 15n },
    rpm: 10_000_000,
    tpm: 1_000_000_000,
    maxConcurrency: 100,
    ...(endUsers && { endUserLimits: { budgets: { dailyNanos: 10n ** 14n }, rpm: 10_000_000 } }),
  });
  const admitUs: number[] = [];
  const settleUs: number[] = [];
  const req = (i: number): GatewayRequest => ({
    requestId: `bench_${label}_${i}_${Date.now()}`,
    callId: `bench_${label}_${i}_${Date.now()}`,
    endpoint: 'chat',
    model: 'openai/gpt-4o',
    stream: false,
    estimatedInputTokens: 1000,
    maxOutputTokens: 500,
    clientKey: secret,
    ...(endUsers && { endUser: `user-${Math.abs(i) % 100}` }),
    signal: new AbortController().signal,
    receivedAt: Date.now(),
  });
  for (let i = 0; i < 200; i++) (await acc.admission.admit(req(-i), plan)).release(); // warm-up
  await acc.store.flush();
  const started = process.hrtime.bigint();
  for (let i = 0; i < cycles; i++) {
    const t0 = process.hrtime.bigint();
    const ticket = await acc.admission.admit(req(i), plan);
    const t1 = process.hrtime.bigint();
    ticket.settle({
      ok: true,
      providerId: 'openai',
      model: 'gpt-4o',
      usage: { ...usage, source: 'provider' },
      records: [],
    });
    const t2 = process.hrtime.bigint();
    admitUs.push(Number(t1 - t0) / 1000);
    settleUs.push(Number(t2 - t1) / 1000);
  }
  await acc.store.flush();
  const wallUs = Number(process.hrtime.bigint() - started) / 1000 / cycles;
  const verify = await acc.store.verify();
  await acc.close();
  admitUs.sort((a, b) => a - b);
  settleUs.sort((a, b) => a - b);
  return {
    store: (endUsers ? `${label} + end users` : label) + (withAlerts ? ' +alerts' : ''),
    cycles,
    'admit mean µs': (admitUs.reduce((a, b) => a + b, 0) / cycles).toFixed(1),
    'admit p50 µs': pct(admitUs, 50).toFixed(1),
    'admit p99 µs': pct(admitUs, 99).toFixed(1),
    'settle call p50 µs': pct(settleUs, 50).toFixed(1),
    'settle call p99 µs': pct(settleUs, 99).toFixed(1),
    'wall per cycle µs': wallUs.toFixed(1),
    'ledger verify': verify.ok ? 'ok' : 'MISMATCH',
  };
}

const rows = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-bench-'));
try {
  rows.push(await bench('sqlite', `sqlite:${path.join(dir, 'bench.db')}`));
  const missing = missingServers();
  if (missing.length) console.log(`skipping redis+postgres: ${missing.join('; ')}`);
  else {
    const [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
    try {
      rows.push(await bench('redis+postgres', `${redis.url}+${pg.url}`));
    } finally {
      await Promise.all([redis.stop(), pg.stop()]);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  receiver.close();
}
console.log(`node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'})`);
console.table(rows);
