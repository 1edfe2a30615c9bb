// The README's own configuration example parses, and every provider in it is priced: its `groq` override wins for
// reservation and charge, and `catalogProvider:` places a private host (#13: the README's groq example was free).
import { readFileSync } from 'node:fs';
import { defaultPriceSource } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.js';
import { planFor } from '../config/plan-for.js';
import { priceSourceFor } from '../pipeline/create-deps.js';
import { resolvePrice } from './resolve-price.js';

const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
const yaml = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
// Every `${VAR}` the example names gets a placeholder, so a provider added to the README is checked too.
const env = Object.fromEntries([...yaml.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => [m[1] as string, 'x']));

describe("the README's configuration example", () => {
  const config = parseConfig(yaml, env, 'README.md');
  const prices = priceSourceFor(config);
  const at = Date.now();
  const priced = (model: string) => {
    const t = planFor(model, config).targets[0];
    if (!t) throw new Error(model);
    return resolvePrice(prices, t, at);
  };
  it('parses', () => expect(Object.keys(config.providers)).toContain('groq'));
  it('groq/llama-3.3-70b is charged the override', () => {
    expect(priced('groq/llama-3.3-70b')).toMatchObject({ source: 'override:config', rates: { input: 590_000_000n } });
  });
  it('groq catalog models and the private host (catalogProvider: together) are priced by the catalog', () => {
    expect(priced('groq/llama-3.3-70b-versatile')?.source).toBe(
      defaultPriceSource().lookup('groq', 'llama-3.3-70b-versatile')?.source,
    );
    expect(planFor('private/x', config).targets[0]?.catalogProvider).toBe('together');
  });
  it('every route target has a price', () => {
    for (const name of Object.keys(config.routes))
      for (const t of planFor(name, config).targets) expect(resolvePrice(prices, t, at), t.id).toBeDefined();
  });
});
