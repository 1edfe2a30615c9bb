// No config file: configure providers from the standard SDK env vars. Returns undefined when there is none,
// which the CLI takes as "demo mode on the simulators".
import type { GatewayConfig } from './config-schema.js';
import { validateConfig } from './load-config.js';

export function autoConfigFromEnv(
  env: NodeJS.ProcessEnv,
  server?: { host?: string; port?: number },
): GatewayConfig | undefined {
  const providers: Record<string, { kind: string; apiKey: string; baseURL?: string }> = {};
  const withBase = (apiKey: string, baseURL: string | undefined) => (baseURL ? { apiKey, baseURL } : { apiKey });
  if (env.OPENAI_API_KEY) providers.openai = { kind: 'openai', ...withBase(env.OPENAI_API_KEY, env.OPENAI_BASE_URL) };
  if (env.ANTHROPIC_API_KEY) {
    providers.anthropic = { kind: 'anthropic', ...withBase(env.ANTHROPIC_API_KEY, env.ANTHROPIC_BASE_URL) };
  }
  // Like @google/genai: GOOGLE_API_KEY wins when both are set.
  const geminiKey = env.GOOGLE_API_KEY || env.GEMINI_API_KEY;
  if (geminiKey) providers.gemini = { kind: 'gemini', ...withBase(geminiKey, env.GOOGLE_GEMINI_BASE_URL) };
  if (Object.keys(providers).length === 0) return undefined;
  return validateConfig({ providers, ...(server ? { server } : {}) }, 'auto-configuration from environment');
}
