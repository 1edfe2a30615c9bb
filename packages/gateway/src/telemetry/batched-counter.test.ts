import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { batchedCounter } from './batched-counter.js';

const values = async (registry: Registry, name: string) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.route), v.value]));
};

describe('batchedCounter', () => {
  it('reads the same totals as direct increments, at every scrape', async () => {
    const registry = new Registry();
    const c = batchedCounter({ name: 'x_total', help: 'x', labelNames: ['route'] as const, registers: [registry] });
    for (let i = 0; i < 5; i++) c.add('a', () => ({ route: 'a' }));
    c.add('b', () => ({ route: 'b' }));
    expect(await values(registry, 'x_total')).toEqual({ a: 5, b: 1 });
    c.add('a', () => ({ route: 'a' }));
    expect(await values(registry, 'x_total')).toEqual({ a: 6, b: 1 });
    expect(await registry.metrics()).toContain('x_total{route="a"} 6');
  });

  it('builds the labels once per key', () => {
    const c = batchedCounter({ name: 'y_total', help: 'y', labelNames: ['route'] as const, registers: [] });
    let built = 0;
    for (let i = 0; i < 10; i++)
      c.add('a', () => {
        built++;
        return { route: 'a' };
      });
    expect(built).toBe(1);
  });

  it('keeps at most `max` label tuples; later tuples are counted directly', async () => {
    const registry = new Registry();
    const c = batchedCounter({ name: 'z_total', help: 'z', labelNames: ['route'] as const, registers: [registry] }, 2);
    let built = 0;
    for (let round = 0; round < 3; round++)
      for (const r of ['a', 'b', 'c', 'd'])
        c.add(r, () => {
          built++;
          return { route: r };
        });
    // a and b are cells (labels built once); c and d are built on every add and not kept.
    expect(built).toBe(2 + 2 * 3);
    expect(await values(registry, 'z_total')).toEqual({ a: 3, b: 3, c: 3, d: 3 });
  });
});
