// Shared e2e setup: the three simulators on free ports, a gateway config pointing at them, and the gateway.
import { type AllSimulators, startAllSimulators } from '@switchyard/simulators';
import type { GatewayConfig } from '../src/config/config-schema.js';
import { validateConfig } from '../src/config/load-config.js';
import type { GatewayOptions } from '../src/http/create-gateway.js';
import { listen, type RunningGateway } from '../src/http/listen.js';

export interface Harness {
  sims: AllSimulators;
  gw: RunningGateway;
  config: GatewayConfig;
  close(): Promise<void>;
}

export const UPSTREAM_KEY = 'sk-upstream-key';

export const silentLog = { warn() {}, error() {} };

export function simConfig(sims: AllSimulators, extra: Record<string, unknown> = {}): GatewayConfig {
  return validateConfig({
    server: { host: '127.0.0.1', port: 0 },
    providers: {
      openai: { kind: 'openai', apiKey: UPSTREAM_KEY, baseURL: `${sims.openai.url}/v1`, models: ['gpt-4o-mini'] },
      anthropic: { kind: 'anthropic', apiKey: UPSTREAM_KEY, baseURL: sims.anthropic.url },
      gemini: { kind: 'gemini', apiKey: UPSTREAM_KEY, baseURL: sims.gemini.url },
    },
    routes: {
      smart: { strategy: 'fallback', targets: ['anthropic/claude-sonnet-4-5', 'openai/gpt-4o-mini'] },
    },
    ...extra,
  });
}

export async function startHarness(
  extra: Record<string, unknown> = {},
  options: GatewayOptions = {},
): Promise<Harness> {
  // Each simulator accepts only the gateway's provider key: a forwarded client key would be a 401.
  const sims = await startAllSimulators({ apiKey: UPSTREAM_KEY });
  const config = simConfig(sims, extra);
  const gw = await listen(config, { log: silentLog, ...options });
  return {
    sims,
    gw,
    config,
    async close() {
      await gw.close(2_000);
      await sims.close();
    },
  };
}

export function resetSims(sims: AllSimulators): void {
  for (const s of [sims.openai, sims.anthropic, sims.gemini]) {
    s.setScenario(undefined);
    s.reset();
  }
}
