// The report's pure parts: per-model figures from a run, the stop notice, Markdown and HTML rendering (escaped).
import { describe, expect, it } from 'vitest';
import type { CallOutcome, CompareRun } from '../run-compare.js';
import { costQualitySpec, latencySpec, qualityPoints } from './report-charts.js';
import { escapeHtml, renderHtml } from './report-html.js';
import { renderMarkdown } from './report-markdown.js';
import { compareReport } from './report-model.js';

const outcome = (
  model: string,
  promptId: string,
  costNanos: bigint,
  latencyMs: number,
  pass: boolean,
  score?: number,
): CallOutcome => ({
  promptId,
  model,
  run: 1,
  result: {
    ok: true,
    text: `<b>${model}</b> | answer`,
    latencyMs,
    ttftMs: latencyMs / 2,
    inputTokens: 10,
    outputTokens: 4,
    costNanos,
  },
  assertions: [{ type: 'contains', pass, detail: pass ? 'contains 1' : 'missing "x"' }],
  ...(score !== undefined && { judge: { score, reason: 'because', costNanos: 7n } }),
  spentAtStartNanos: 0n,
});

const run = (outcomes: CallOutcome[], extra: Partial<CompareRun> = {}): CompareRun => ({
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  options: { models: ['a/one', 'b/two'], runs: 1, concurrency: 2, judge: 'j/judge' },
  prompts: [
    { id: 'p1', messages: [{ role: 'user', content: 'Q1' }], assert: [{ contains: 'x' }], params: {} },
    { id: 'p2', messages: [{ role: 'user', content: 'Q2' }], expected: 'E2', assert: [{ contains: 'x' }], params: {} },
  ],
  outcomes,
  plannedCalls: 4,
  spentNanos: outcomes.reduce((s, o) => s + (o.result.costNanos ?? 0n) + (o.judge?.costNanos ?? 0n), 0n),
  judgeSpentNanos: outcomes.reduce((s, o) => s + (o.judge?.costNanos ?? 0n), 0n),
  ...extra,
});

const outcomes = [
  outcome('a/one', 'p1', 1_000_001n, 100, true, 8),
  outcome('a/one', 'p2', 2_000_000n, 300, false, 6),
  outcome('b/two', 'p1', 10n, 50, true, 3),
  {
    ...outcome('b/two', 'p2', 0n, 40, false),
    result: { ok: false, text: '', latencyMs: 40, error: 'HTTP 503: down' },
    assertions: [],
  },
];

describe('compare report model', () => {
  it('sums money as integers, per model and in total, judge apart', () => {
    const r = compareReport(run(outcomes));
    const [a, b] = r.models;
    expect(a).toMatchObject({ model: 'a/one', calls: 2, errors: 0, costNanos: '3000001', costUsd: '0.003000001' });
    expect(a?.costPerCallUsd).toBe('0.001500001'); // 1500000.5 rounds half up
    expect(a?.latencyMs).toEqual({ p50: 100, p95: 300 });
    expect(a?.assertions).toEqual({ passed: 1, total: 2, rate: 0.5 });
    expect(a?.judge).toMatchObject({ meanScore: 7, scored: 2, costNanos: '14' });
    expect(b).toMatchObject({ calls: 2, errors: 1, costNanos: '10', assertions: { passed: 1, total: 1, rate: 1 } });
    expect(r.totals).toMatchObject({ calls: 4, plannedCalls: 4, costNanos: '3000011', judgeCostNanos: '21' });
    expect(r.prompts[1]?.cells['b/two']?.[0]).toMatchObject({ ok: false, error: 'HTTP 503: down' });
    expect(r.prompts[1]?.expected).toBe('E2');
  });

  it('says when the cost cap stopped the run', () => {
    const r = compareReport(
      run(outcomes.slice(0, 2), {
        stopped: { reason: 'cost_cap', spentNanos: 3_000_015n, capNanos: 3_000_000n, skippedCalls: 2 },
      }),
    );
    expect(r.stopped?.message).toBe(
      'Stopped at the cost cap: $0.003000015 spent of $0.003000000; 2 planned call(s) not made.',
    );
    expect(renderMarkdown(r)).toContain('> **Stopped at the cost cap');
  });

  it('charts: judge score as quality when judged, one point per model with a priced call', () => {
    const r = compareReport(run(outcomes));
    const { points, axis } = qualityPoints(r);
    expect(axis).toBe('judge score (1–10)');
    expect(points.map((p) => [p.model, p.quality])).toEqual([
      ['a/one', 7],
      ['b/two', 3],
    ]);
    expect(JSON.stringify(costQualitySpec(r))).toContain('cost per call (USD)');
    expect((latencySpec(r).data as { values: unknown[] }).values).toHaveLength(8);
  });

  it('renders Markdown side by side and HTML with every answer escaped and inline SVG charts', async () => {
    const r = compareReport(run(outcomes));
    const md = renderMarkdown(r);
    expect(md).toContain('| a/one | 2 | 0 | 0.003000001 |');
    expect(md).toContain('\\| answer'); // pipes inside answers cannot break the table
    const html = await renderHtml(r);
    expect(html).not.toContain('<b>a/one</b>');
    expect(html).toContain('&lt;b&gt;a/one&lt;/b&gt;');
    expect(html.match(/<svg/g)?.length).toBe(2);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(escapeHtml(`<"'&>`)).toBe('&lt;&quot;&#39;&amp;&gt;');
  });
});
