// The gateway config the bench runs Switchyard with: default features on (virtual-key auth, credits, metrics at
// /metrics), tracing as a separate variant. Plain data, written as a JSON file for `switchyard start --config`.
import type { SimProviderName } from '../servers/upstreams.js';
import { SIM_KEY } from '../servers/upstreams.js';

export interface SwitchyardProvider {
  id: string;
  provider: SimProviderName;
  origin: string;
  /** Per-provider timeouts, e.g. a short first-byte timeout for the hang scenario. */
  timeouts?: { connectMs?: number; firstByteMs?: number; totalMs?: number };
}

export interface SwitchyardConfigInput {
  providers: SwitchyardProvider[];
  routes?: Record<string, unknown>;
  /** `cache:` section (off when absent). */
  cache?: Record<string, unknown>;
  storePath: string;
  port: number;
  /** OTLP/HTTP base URL; tracing is off when absent. */
  tracingEndpoint?: string;
}

// SDK base-URL conventions: OpenAI-compatible includes /v1; Anthropic and Gemini are the origin.
const KIND = { openai: 'openai-compatible', anthropic: 'anthropic', gemini: 'gemini' } as const;
const BASE = { openai: '/v1', anthropic: '', gemini: '' } as const;

export function switchyardConfig(input: SwitchyardConfigInput): Record<string, unknown> {
  const providers: Record<string, unknown> = {};
  for (const p of input.providers) {
    providers[p.id] = {
      kind: KIND[p.provider],
      baseURL: `${p.origin}${BASE[p.provider]}`,
      apiKey: SIM_KEY,
      ...(p.timeouts ? { timeouts: p.timeouts } : {}),
    };
  }
  return {
    server: { host: '127.0.0.1', port: input.port },
    providers,
    routes: input.routes ?? {},
    ...(input.cache && { cache: input.cache }),
    // Accounts on: every request needs the virtual key, reserves its max cost against prepaid credits, settles.
    accounts: { store: `sqlite:${input.storePath}`, authRequired: true },
    telemetry: {
      tracing: input.tracingEndpoint ? { enabled: true, endpoint: input.tracingEndpoint } : { enabled: false },
    },
  };
}
