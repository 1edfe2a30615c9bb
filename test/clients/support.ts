// Shared setup of the real-client suite: a real gateway (HTTP, in this process) in demo-like mode — the demo
// config in front of the three bundled simulators — that each client library is pointed at by base URL only.

import { DEMO_KEY, demoConfig } from '../../packages/gateway/src/demo/demo-mode.js';
import { listen, type RunningGateway } from '../../packages/gateway/src/http/listen.js';
import { type AllSimulators, startAllSimulators } from '../../packages/simulators/src/index.js';

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
