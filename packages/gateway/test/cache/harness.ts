// A gateway with the response cache on, in front of the three simulators, with accounts (SQLite, two keys with
// credits) and telemetry (/metrics), so cache suites can check hits, the ledger and the metrics together.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AllSimulators, startAllSimulators } from '@switchyard/simulators';
import Database from 'better-sqlite3';
import { type Accounts, createAccounts } from '../../src/accounts/index.js';
import type { GatewayConfig } from '../../src/config/config-schema.js';
import { listen, type RunningGateway } from '../../src/http/listen.js';
import { priceSourceFor } from '../../src/pipeline/create-deps.js';
import { createTelemetry, type Telemetry } from '../../src/telemetry/index.js';
import { silentLog, simConfig, UPSTREAM_KEY } from '../helpers.js';

export interface CacheHarness {
  sims: AllSimulators;
  gw: RunningGateway;
  config: GatewayConfig;
  accounts: Accounts;
  telemetry: Telemetry;
  keys: { alpha: { id: string; secret: string }; beta: { id: string; secret: string } };
  /** Upstream requests so far, all simulators together. */
  upstreamCalls(): number;
  ledger(): Promise<LedgerRow[]>;
  metrics(): Promise<string>;
  close(): Promise<void>;
}

export interface LedgerRow {
  key_id: string;
  provider: string | null;
  model: string | null;
  cost_nanos: bigint;
  debit_nanos: bigint;
  input_tokens: bigint;
  cache_hit: bigint;
  saved_nanos: bigint;
}

export async function startCacheHarness(
  cache: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  sims?: AllSimulators,
): Promise<CacheHarness> {
  const ownSims = !sims;
  const s = sims ?? (await startAllSimulators({ apiKey: UPSTREAM_KEY }));
  const config = simConfig(s, { cache, ...extra });
  const dir = mkdtempSync(join(tmpdir(), 'sy-cache-'));
  const dbPath = join(dir, 'accounts.db');
  const priceSource = priceSourceFor(config);
  const accounts = await createAccounts({ store: `sqlite:${dbPath}`, priceSource, unknownPrice: 'allow' });
  const alpha = await accounts.service.createKey({ name: 'alpha', creditsNanos: 10_000_000_000n });
  const beta = await accounts.service.createKey({ name: 'beta', creditsNanos: 10_000_000_000n });
  const telemetry = await createTelemetry({ metrics: { perKeyLabels: false, routes: Object.keys(config.routes) } });
  const gw = await listen(config, {
    admission: accounts.admission,
    observer: telemetry.observer,
    priceSource,
    log: silentLog,
    metrics: (req, res) => telemetry.metricsHandler(req, res),
  });
  return {
    sims: s,
    gw,
    config,
    accounts,
    telemetry,
    keys: {
      alpha: { id: alpha.key.id, secret: alpha.secret },
      beta: { id: beta.key.id, secret: beta.secret },
    },
    upstreamCalls: () => s.openai.stats.requests + s.anthropic.stats.requests + s.gemini.stats.requests,
    async ledger() {
      await accounts.store.flush();
      const db = new Database(dbPath, { readonly: true });
      db.defaultSafeIntegers(true);
      try {
        return db.prepare("SELECT * FROM ledger WHERE kind = 'call' ORDER BY seq").all() as LedgerRow[];
      } finally {
        db.close();
      }
    },
    metrics: () => fetch(`${gw.url}/metrics`).then((r) => r.text()),
    async close() {
      await gw.close(2_000);
      await telemetry.shutdown();
      await accounts.close();
      if (ownSims) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The value of one sample line of a Prometheus exposition (labels given as a `{…}` substring). */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}
