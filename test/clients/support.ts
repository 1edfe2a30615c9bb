// Shared bed for the real-client suite: one gateway (in this test process, on port 0) in front of the three
// simulators, with an SQLite accounts store and a virtual key, started once per test file. Clients (AI SDK,
// LangChain, the official SDKs) are pointed at `bed.baseURL` exactly as a user would: only the base URL changes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../packages/gateway/src/cli/logger.js';
import { wireGateway } from '../../packages/gateway/src/cli/wire.js';
import { validateConfig } from '../../packages/gateway/src/config/load-config.js';
import { DEMO_KEY, demoConfig } from '../../packages/gateway/src/demo/demo-mode.js';
import { listen, type RunningGateway } from '../../packages/gateway/src/http/listen.js';
import {
  type AllSimulators,
  SCENARIO_HEADER,
  type Scenario,
  startAllSimulators,
} from '../../packages/simulators/src/index.js';

/** One model per provider kind; every client test runs against each. */
export const MODEL_OF = {
  openai: 'openai/gpt-4.1',
  anthropic: 'anthropic/claude-sonnet-4-5',
  gemini: 'gemini/gemini-2.5-flash',
} as const;
export type ProviderName = keyof typeof MODEL_OF;
export const PROVIDERS = Object.keys(MODEL_OF) as ProviderName[];

/** Embedding models (Anthropic has none: the gateway answers a clear 400). */
export const EMBEDDING_MODELS = {
  openai: 'openai/text-embedding-3-small',
  gemini: 'gemini/gemini-embedding-001',
} as const;

/** Provider ids whose every upstream answer is a 429 with `retry-after: 30` (see `rateLimited` below). */
export const RATE_LIMITED = {
  openai: 'limited-openai/gpt-4.1',
  anthropic: 'limited-anthropic/claude-sonnet-4-5',
  gemini: 'limited-gemini/gemini-2.5-flash',
} as const;

export interface ClientBed {
  /** Gateway origin, e.g. http://127.0.0.1:43121 */
  url: string;
  /** `${url}/v1`: what OpenAI-style clients take as baseURL. */
  baseURL: string;
  /** A virtual key with credits; every client authenticates with it. */
  key: string;
  adminToken: string;
  sims: AllSimulators;
  gateway: RunningGateway;
  /** Creates another virtual key (admin API); returns its secret. */
  createKey(body?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export interface ClientBedOptions {
  /** Extra config sections merged over the defaults (e.g. `routes`, `server`). */
  config?: Record<string, unknown>;
  /** Scenario for every simulator (e.g. `{ outputTokens: 8 }`). */
  scenario?: Scenario;
  /** Create the default virtual key (auth on). Default true. */
  withKey?: boolean;
  /** More providers, given the simulators and the provider key (e.g. a copy with a fault scenario). */
  providers?: (sims: AllSimulators, key: string) => Record<string, unknown>;
}

/** Provider config for a simulator with `scenario` applied to every request it gets from the gateway. */
export function withScenario(sims: AllSimulators, kind: ProviderName, key: string, scenario: Scenario) {
  const baseURL = kind === 'openai' ? `${sims.openai.url}/v1` : sims[kind].url;
  return { kind, apiKey: key, baseURL, headers: { [SCENARIO_HEADER]: JSON.stringify(scenario) } };
}

function rateLimited(sims: AllSimulators, key: string) {
  const fault = JSON.stringify({ fault: { kind: 'status', status: 429, code: 'rate_limit', retryAfterSeconds: 30 } });
  const headers = { [SCENARIO_HEADER]: fault };
  return {
    'limited-openai': { kind: 'openai', apiKey: key, baseURL: `${sims.openai.url}/v1`, headers },
    'limited-anthropic': { kind: 'anthropic', apiKey: key, baseURL: sims.anthropic.url, headers },
    'limited-gemini': { kind: 'gemini', apiKey: key, baseURL: sims.gemini.url, headers },
  };
}

export async function startClientBed(opts: ClientBedOptions = {}): Promise<ClientBed> {
  const providerKey = 'sk-sim-clients';
  const adminToken = `adm-clients-${process.pid}`;
  const sims = await startAllSimulators({ apiKey: providerKey, ...(opts.scenario && { scenario: opts.scenario }) });
  const dir = mkdtempSync(join(tmpdir(), 'sy-clients-'));
  const config = validateConfig(
    {
      server: { host: '127.0.0.1', port: 0 },
      providers: {
        openai: { kind: 'openai', apiKey: providerKey, baseURL: `${sims.openai.url}/v1`, models: ['gpt-4.1'] },
        anthropic: {
          kind: 'anthropic',
          apiKey: providerKey,
          baseURL: sims.anthropic.url,
          models: ['claude-sonnet-4-5'],
        },
        gemini: { kind: 'gemini', apiKey: providerKey, baseURL: sims.gemini.url, models: ['gemini-2.5-flash'] },
        ...rateLimited(sims, providerKey),
        ...opts.providers?.(sims, providerKey),
      },
      // One attempt: the 429 cases must reach the client instead of being retried for seconds.
      retry: { maxAttempts: 1 },
      accounts: { store: `sqlite:${join(dir, 'accounts.db')}`, unknownPrice: 'allow', flushMs: 5 },
      auth: { adminToken },
      ...opts.config,
    },
    'client suite config',
  );
  const log = createLogger(process.env.SY_CLIENTS_LOG ?? 'silent');
  const wired = await wireGateway(config, log, {});
  const gateway = await listen(config, { ...wired.options, host: '127.0.0.1', port: 0 });
  const url = gateway.url;

  async function createKey(body: Record<string, unknown> = {}): Promise<string> {
    const res = await fetch(`${url}/admin/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'client-suite', credits_usd: '100', ...body }),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await res.json()) as { key?: string };
    if (res.status !== 201 || !json.key) throw new Error(`create key: ${res.status} ${JSON.stringify(json)}`);
    return json.key;
  }

  let key = 'sk-no-key-needed';
  try {
    if (opts.withKey !== false) key = await createKey();
  } catch (err) {
    await gateway.close(1_000);
    await wired.close();
    await sims.close();
    throw err;
  }
  return {
    url,
    baseURL: `${url}/v1`,
    key,
    adminToken,
    sims,
    gateway,
    createKey,
    async close() {
      await gateway.close(2_000);
      await wired.close().catch(() => {});
      await sims.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Drains an async iterable (bounded by the test timeout), returning every item. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

// ---- Demo-like gateway without accounts (used by the Responses-API client tests) ----

export interface ClientGateway {
  /** Gateway origin, e.g. http://127.0.0.1:PORT (clients add /v1). */
  url: string;
  sims: AllSimulators;
  gw: RunningGateway;
  close(): Promise<void>;
}

/** One model per provider kind: every client feature is checked against all three. */
export const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash'] as const;

/** Any string works as the client key in demo mode (no accounts). */
export const CLIENT_KEY = 'sk-sy-client-suite';

const quiet = { warn() {}, error() {} };

export async function startClientGateway(): Promise<ClientGateway> {
  const sims = await startAllSimulators({ apiKey: DEMO_KEY });
  const config = demoConfig(
    { openai: sims.openai.url, anthropic: sims.anthropic.url, gemini: sims.gemini.url },
    { host: '127.0.0.1', port: 0 },
  );
  const gw = await listen(config, { log: quiet });
  return {
    url: gw.url,
    sims,
    gw,
    async close() {
      await gw.close(2_000);
      await sims.close();
    },
  };
}

/** The provider id of a `provider/model` name (the simulator that must have served it). */
export const providerOf = (model: string) => model.split('/')[0] as 'openai' | 'anthropic' | 'gemini';

/** Request bodies a simulator received since `from` (its request-log length before the call). */
export function bodiesSince(sims: AllSimulators, model: string, from: number): Record<string, unknown>[] {
  return sims[providerOf(model)].requests.slice(from).map((r) => r.body as Record<string, unknown>);
}
