import { describe, expect, it } from 'vitest';
import { checkGoals } from '../goals.js';
import type { OverheadEntry, RunResult } from '../types.js';
import { chartRows, chartSpec, renderSvg } from './chart.js';
import { renderMarkdown, table } from './markdown.js';

const entry = (name: string, rps: number, added: number): OverheadEntry => ({
  name,
  c1: {
    p50_ms: 0.3 + added,
    p90_ms: 0.4,
    p99_ms: 1.2,
    added_p50_ms: added,
    added_p90_ms: added,
    added_p99_ms: 2 * added,
  },
  c32: { rps, p50_ms: 5, p99_ms: 9.5 },
  errors: 0,
  frontier: name === 'direct' ? undefined : { under_1ms: 1000, under_5ms: null, under_10ms: 2000 },
});

const run = (): RunResult => {
  const rounds = [1, 2].map(() => ({
    contenders: [entry('direct', 6000, 0), entry('bare', 4200, 0.2), entry('switchyard', 2500, 0.35)],
  }));
  const suites = {
    overhead: { rounds, skipped: [{ name: 'portkey', reason: 'did not start' }], settings: { c1S: 2 } },
  };
  return {
    machine: { cpu: 'Test CPU', cores: 2, memoryMiB: 1024, os: 'Linux', loadavg: [0.1, 0.2, 0.3] },
    node: 'v20.20.2',
    startedAt: '2026-11-25T16:00:00.000Z',
    finishedAt: '2026-11-25T16:04:00.000Z',
    profile: 'quick',
    suites,
    checks: checkGoals(suites),
  };
};

describe('markdown report', () => {
  it('renders a row per contender and round with sub-ms values, skips and goal results', () => {
    const md = renderMarkdown(run());
    expect(md).toContain('Test CPU, 2 cores');
    expect(md).toContain(
      '| 2 | `switchyard` | 0.650 | 1.200 | 0.350 | 0.350 | 0.700 | 2500 | 9.500 | 1000 / – / 2000 | 0 |',
    );
    expect(md.match(/\| `bare` \|/g)).toHaveLength(2);
    expect(md).toContain('skipped `portkey`: did not start');
    expect(md).toMatch(/c=32 rps vs bare >= 0.5× \| 0.595, 0.595 \| 0.595 \| pass/);
    expect(md).toMatch(/c=32 rps vs portkey >= 4× \| –, – \| – \| \*\*MISS\*\* \| not measured/);
  });

  it('builds a generic table', () => {
    expect(table([{ round: 1, entry: { a: 1 } }], [['A', (e) => String(e.a)]])).toBe(
      '| round | A |\n|---|---:|\n| 1 | 1 |',
    );
  });
});

describe('chart', () => {
  it('charts added latency without the baseline and rps with it', () => {
    const rows = chartRows(run());
    expect(rows.latency.map((r) => r.contender)).not.toContain('direct');
    expect(rows.latency).toContainEqual({
      contender: 'switchyard',
      round: 'r1',
      metric: 'added p99 (c=1)',
      value: 0.7,
    });
    expect(rows.rps.filter((r) => r.contender === 'direct')).toHaveLength(2);
    expect(JSON.stringify(chartSpec(run()))).toContain('Throughput at c=32');
  });

  it('renders an SVG with vega', async () => {
    const svg = await renderSvg(run());
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('switchyard');
  });
});
