// Demo mode: no config and no provider keys. Start the bundled simulators in-process and route to them, so a
// fresh checkout serves real OpenAI / Anthropic / Gemini wire formats with zero setup.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AllSimulators } from '@switchyard/simulators';
import type { GatewayConfig } from '../config/config-schema.js';
import { validateConfig } from '../config/load-config.js';

/** Dummy key the simulators accept; nothing real is ever called in demo mode. */
export const DEMO_KEY = 'sk-demo-simulated';

/** What demo mode lists (GET /v1/models, the banner); any other model the simulators and catalog know works too. */
export const DEMO_MODELS = {
  openai: ['gpt-4o-mini', 'gpt-4.1', 'text-embedding-3-small'],
  anthropic: ['claude-sonnet-4-5'],
  gemini: ['gemini-2.5-flash', 'text-embedding-004', 'gemini-embedding-001'],
};

export interface DemoMode {
  config: GatewayConfig;
  sims: AllSimulators;
  close(): Promise<void>;
}

export function demoConfig(
  urls: { openai: string; anthropic: string; gemini: string },
  server: { host: string; port: number },
  accountsStore?: string,
): GatewayConfig {
  return validateConfig(
    {
      server,
      // text-embedding-004 has no catalog price: demo keys serve it flagged as unknown-price instead of refusing.
      ...(accountsStore && { accounts: { store: accountsStore, unknownPrice: 'allow' } }),
      providers: {
        openai: { kind: 'openai', apiKey: DEMO_KEY, baseURL: `${urls.openai}/v1`, models: DEMO_MODELS.openai },
        anthropic: { kind: 'anthropic', apiKey: DEMO_KEY, baseURL: urls.anthropic, models: DEMO_MODELS.anthropic },
        gemini: { kind: 'gemini', apiKey: DEMO_KEY, baseURL: urls.gemini, models: DEMO_MODELS.gemini },
      },
      routes: {
        smart: { strategy: 'fallback', targets: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4.1'] },
        fast: { strategy: 'fallback', targets: ['gemini/gemini-2.5-flash', 'openai/gpt-4o-mini'] },
      },
    },
    'demo configuration',
  );
}

/**
 * `withAccounts` (the CLI sets it when SWITCHYARD_ADMIN_TOKEN is given): virtual keys, credits and the admin API on
 * a throw-away SQLite store, so the README's key and credit examples work in demo mode too. Requests stay open
 * until the first key is created.
 */
export async function startDemo(
  server: { host: string; port: number },
  opts: { withAccounts?: boolean } = {},
): Promise<DemoMode & { accountsDir?: string }> {
  // Imported here, not at the top: a production start never loads the simulators.
  const { startAllSimulators } = await import('@switchyard/simulators');
  const sims = await startAllSimulators({ apiKey: DEMO_KEY });
  const accountsDir = opts.withAccounts ? await mkdtemp(join(tmpdir(), 'switchyard-demo-')) : undefined;
  const config = demoConfig(
    { openai: sims.openai.url, anthropic: sims.anthropic.url, gemini: sims.gemini.url },
    server,
    accountsDir && `sqlite:${join(accountsDir, 'switchyard-demo.db')}`,
  );
  const close = async () => {
    await sims.close();
    if (accountsDir) await rm(accountsDir, { recursive: true, force: true });
  };
  return { config, sims, close, ...(accountsDir && { accountsDir }) };
}
