import { describe, expect, it } from 'vitest';
import { autoConfigFromEnv } from './auto-config.js';
import { ConfigError } from './interpolate.js';
import { parseConfig } from './load-config.js';
import { createPlanResolver, planFor } from './plan-for.js';

const YAML = `
server: { host: 127.0.0.1, port: \${PORT:-4200} }
providers:
  openai:    { kind: openai,    apiKey: \${OPENAI_API_KEY} }
  anthropic: { kind: anthropic, apiKey: \${ANTHROPIC_API_KEY}, timeouts: { connectMs: 1500 } }
  groq:      { kind: openai-compatible, baseURL: "https://example-host/openai/v1/", apiKey: gk }
routes:
  smart: { strategy: fallback, targets: [anthropic/claude-sonnet-4-5, { target: openai/gpt-4.1, params: { temperature: 0 } }] }
  fast:  { strategy: hedge, targets: [groq/llama-3] }
`;
const env = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a' };

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('parses YAML with env interpolation and defaults', () => {
    const cfg = parseConfig(YAML, env);
    expect(cfg.server).toEqual({ host: '127.0.0.1', port: 4200 });
    expect(cfg.providers.openai?.apiKey).toBe('sk-o');
    expect(cfg.limits.maxBodyBytes).toBe(10 * 1024 * 1024);
    expect(parseConfig(YAML, { ...env, PORT: '0' }).server.port).toBe(0);
  });

  it('parses JSON too', () => {
    const cfg = parseConfig(JSON.stringify({ providers: { o: { kind: 'openai', apiKey: 'x' } } }), {});
    expect(cfg.providers.o?.kind).toBe('openai');
    expect(cfg.routes).toEqual({});
  });

  it('names a missing env var and where it is used', () => {
    const msg = errorOf(() => parseConfig(YAML, { OPENAI_API_KEY: 'sk-o' }));
    expect(msg).toContain('providers.anthropic.apiKey: environment variable ANTHROPIC_API_KEY is not set');
  });

  it('supports $${ as a literal', () => {
    const cfg = parseConfig('providers: { o: { kind: openai, apiKey: "a$${B}" } }', {});
    expect(cfg.providers.o?.apiKey).toBe(['a$', '{B}'].join(''));
  });

  it('validates the global routing section (breaker, latency) with path errors', () => {
    const cfg = parseConfig(
      'providers: { o: { kind: openai } }\nrouting: { breaker: { consecutiveFailures: "3", errorRate: 0.25 }, latency: { exploreRate: 0 } }',
      {},
    );
    expect(cfg.routing).toEqual({ breaker: { consecutiveFailures: 3, errorRate: 0.25 }, latency: { exploreRate: 0 } });
    const bad = (section: string) =>
      errorOf(() => parseConfig(`providers: { o: { kind: openai } }\nrouting: ${section}`, {}));
    expect(bad('{ breaker: { errorRate: 2 } }')).toContain('routing.breaker.errorRate: ');
    expect(bad('{ breaker: { coolDownMs: -1 } }')).toContain('routing.breaker.coolDownMs: ');
    expect(bad('{ breaker: { failureTreshold: 3 } }')).toContain('routing.breaker: Unrecognized key');
    expect(bad('{ latency: { alpha: 0 } }')).toContain('routing.latency.alpha: ');
  });

  it('names the bad path', () => {
    const msg = errorOf(() => parseConfig('providers: { groq: { kind: openai-compatible, baseURL: nope } }', {}));
    expect(msg).toContain('providers.groq.baseURL: Invalid URL');
    expect(errorOf(() => parseConfig('providers: { g: { kind: openai-compatible } }', {}))).toContain(
      'providers.g.baseURL: baseURL is required',
    );
    expect(errorOf(() => parseConfig('providers: { o: { kind: nope } }', {}))).toContain('providers.o.kind');
  });

  it('rejects unknown top-level sections and unknown route providers', () => {
    expect(errorOf(() => parseConfig('providers: {}\nrouts: {}', {}))).toMatch(/routs/);
    const msg = errorOf(() => parseConfig('providers: { o: { kind: openai } }\nroutes: { a: { targets: [x/y] } }', {}));
    expect(msg).toContain('routes.a.targets[0]: Unknown provider "x"');
  });

  it('rejects non-mapping documents and bad YAML', () => {
    expect(errorOf(() => parseConfig('- a', {}))).toContain('mapping');
    expect(errorOf(() => parseConfig('a: [', {}))).toContain('not valid YAML');
  });
});

describe('planFor', () => {
  const cfg = parseConfig(YAML, env);

  it('resolves an alias with ordered targets, params and merged timeouts', () => {
    const plan = planFor('smart', cfg);
    expect(plan.strategy).toBe('fallback');
    expect(plan.targets.map((t) => t.id)).toEqual(['anthropic/claude-sonnet-4-5', 'openai/gpt-4.1']);
    expect(plan.targets[0]).toMatchObject({ kind: 'anthropic', baseURL: 'https://api.anthropic.com', apiKey: 'sk-a' });
    expect(plan.targets[1]?.params).toEqual({ temperature: 0 });
    expect(plan.timeouts.connectMs).toBe(1500);
    expect(plan.retry.maxAttempts).toBeGreaterThanOrEqual(1);
  });

  it('maps strategy hedge to fallback with a hedge', () => {
    const plan = planFor('fast', cfg);
    expect(plan.strategy).toBe('fallback');
    expect(plan.hedge).toEqual({ afterPercentile: 95 });
    expect(plan.targets[0]?.baseURL).toBe('https://example-host/openai/v1');
  });

  it('resolves provider/model directly, keeping slashes in the model', () => {
    const plan = planFor('groq/meta/llama-3', cfg);
    expect(plan).toMatchObject({ name: 'groq/meta/llama-3', strategy: 'single' });
    expect(plan.targets[0]).toMatchObject({ providerId: 'groq', model: 'meta/llama-3' });
  });

  it('keeps an accepted direct plan per model name, and still refuses unknown names every time', () => {
    const resolve = createPlanResolver(cfg);
    const first = resolve('groq/meta/llama-3');
    expect(resolve('groq/meta/llama-3')).toBe(first);
    expect(resolve('groq/other')).toMatchObject({ name: 'groq/other', targets: [{ model: 'other' }] });
    for (let i = 0; i < 2; i++) expect(() => resolve('nope/gpt-4o')).toThrow(/does not exist/);
  });

  it('throws a 404 model_not_found without secrets', () => {
    for (const model of ['gpt-4o', 'nope/gpt-4o', 'openai/']) {
      try {
        planFor(model, cfg);
        throw new Error('expected throw');
      } catch (err) {
        expect(err).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
        expect((err as Error).message).not.toContain('sk-');
      }
    }
  });
});

describe('autoConfigFromEnv', () => {
  it('returns undefined without keys (demo mode)', () => {
    expect(autoConfigFromEnv({})).toBeUndefined();
  });
  it('configures each provider from its standard env var; GOOGLE_API_KEY wins', () => {
    const cfg = autoConfigFromEnv({ OPENAI_API_KEY: 'a', GEMINI_API_KEY: 'g1', GOOGLE_API_KEY: 'g2' });
    expect(Object.keys(cfg?.providers ?? {})).toEqual(['openai', 'gemini']);
    expect(cfg?.providers.gemini?.apiKey).toBe('g2');
  });
});
