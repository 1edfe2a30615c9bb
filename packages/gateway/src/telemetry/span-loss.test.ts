import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createSpanLossReporter } from './span-loss.js';

async function dropped(registry: Registry): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'switchyard_trace_spans_dropped_total');
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.reason), v.value]));
}

describe('span loss reporter', () => {
  it('counts every lost span by reason and warns at most once per interval, with the counts since the last warning', async () => {
    const registry = new Registry();
    const warnings: unknown[] = [];
    let now = 1_000_000;
    const report = createSpanLossReporter(
      registry,
      (w) => warnings.push(w),
      60_000,
      () => now,
    );
    report({ reason: 'queue_full', count: 5 });
    report({ reason: 'export_failed', count: 512, message: 'Bad Request' });
    report({ reason: 'queue_full', count: 3 });
    expect(await dropped(registry)).toEqual({ queue_full: 8, export_failed: 512 });
    expect(warnings).toEqual([{ dropped: { queue_full: 5, export_failed: 0 } }]);
    now += 60_000;
    report({ reason: 'queue_full', count: 1 });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toEqual({ dropped: { queue_full: 4, export_failed: 512 }, lastError: 'Bad Request' });
    expect(await dropped(registry)).toEqual({ queue_full: 9, export_failed: 512 });
  });

  it('counts without a warning callback', async () => {
    const registry = new Registry();
    const report = createSpanLossReporter(registry);
    report({ reason: 'export_failed', count: 2 });
    expect(await dropped(registry)).toEqual({ export_failed: 2 });
  });
});
