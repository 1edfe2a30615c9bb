import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { histogramSeries } from './histogram-series.js';

describe('histogramSeries', () => {
  it('observes into the same series as histogram.observe, one kept child per tuple, bounded', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'h', help: 'h', labelNames: ['a', 'b'], buckets: [1, 10], registers: [registry] });
    const series = histogramSeries(h, 1);
    let built = 0;
    const labels = (a: string) => () => {
      built++;
      return { a, b: 'x' };
    };
    const first = series('one', labels('one'));
    first.observe(0.5);
    expect(series('one', labels('one'))).toBe(first); // kept: labels not built again
    series('one', labels('one')).observe(5);
    h.observe({ a: 'one', b: 'x' }, 50); // the plain API lands in the same series
    series('two', labels('two')).observe(5); // past the bound: made, used, not kept
    series('two', labels('two')).observe(5);
    expect(built).toBe(3);
    const values = (await h.get()).values;
    const count = (a: string) => values.find((v) => v.metricName === 'h_count' && v.labels.a === a)?.value;
    expect(count('one')).toBe(3);
    expect(count('two')).toBe(2);
    expect(values.find((v) => v.metricName === 'h_sum' && v.labels.a === 'one')?.value).toBe(55.5);
  });
});
