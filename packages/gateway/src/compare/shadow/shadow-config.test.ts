// The route option `shadow:` in the config file: accepted shapes and errors that name the bad path.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load-config.js';

const base = (shadow: unknown) => ({
  providers: { openai: { kind: 'openai', apiKey: 'k' }, gemini: { kind: 'gemini', apiKey: 'k' } },
  routes: { main: { targets: ['openai/gpt-4o-mini'], shadow } },
});

describe('routes.<name>.shadow', () => {
  it('accepts numbers or env-style strings and keeps the cap as a decimal string', () => {
    const cfg = validateConfig(base({ target: 'gemini/gemini-2.5-flash', sampleRate: '0.05', maxUsdPerDay: 2.5 }));
    expect(cfg.routes.main?.shadow).toEqual({
      target: 'gemini/gemini-2.5-flash',
      sampleRate: 0.05,
      maxUsdPerDay: '2.5',
    });
  });

  it('rejects a bad rate, cap, unknown provider or unknown field, naming the path', () => {
    expect(() => validateConfig(base({ target: 'gemini/x', sampleRate: 1.5, maxUsdPerDay: 1 }))).toThrow(
      /routes\.main\.shadow\.sampleRate/,
    );
    expect(() => validateConfig(base({ target: 'gemini/x', sampleRate: 0.1, maxUsdPerDay: '-1' }))).toThrow(
      /routes\.main\.shadow\.maxUsdPerDay/,
    );
    expect(() => validateConfig(base({ target: 'nope/x', sampleRate: 0.1, maxUsdPerDay: 1 }))).toThrow(
      /routes\.main\.shadow\.target: Unknown provider "nope"/,
    );
    expect(() => validateConfig(base({ target: 'gemini/x', sampleRate: 0.1 }))).toThrow(/maxUsdPerDay/);
    expect(() => validateConfig(base({ target: 'gemini/x', sampleRate: 0.1, maxUsdPerDay: 1, rate: 2 }))).toThrow(
      /routes\.main\.shadow/,
    );
  });
});
