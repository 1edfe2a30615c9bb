// The report's two charts as vega-lite specs, rendered to SVG here in Node (vega's headless 'none' renderer),
// so report.html embeds finished SVG: it opens from disk with no script, server or network.
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import * as vl from 'vega-lite';
import type { Report } from './report-model.js';

export interface QualityPoint {
  model: string;
  costPerCallUsd: number;
  quality: number;
}

/** Quality is the judge's mean score when there is a judge, else the assertion pass rate (0–100 %). */
export function qualityPoints(r: Report): { points: QualityPoint[]; axis: string } {
  const judged = r.models.some((m) => m.judge?.meanScore !== undefined);
  const points: QualityPoint[] = [];
  for (const m of r.models) {
    const quality = judged
      ? m.judge?.meanScore
      : m.assertions.rate !== undefined
        ? m.assertions.rate * 100
        : m.similarity?.mean !== undefined
          ? m.similarity.mean * 100
          : undefined;
    if (quality === undefined || m.costPerCallUsd === undefined) continue;
    // Display only: the exact figure is in the tables.
    points.push({ model: m.model, costPerCallUsd: Number(m.costPerCallUsd), quality });
  }
  const axis = judged
    ? 'judge score (1–10)'
    : r.models.some((m) => m.assertions.rate !== undefined)
      ? 'assertions passed (%)'
      : 'similarity to primary (%)';
  return { points, axis };
}

export function costQualitySpec(r: Report): TopLevelSpec {
  const { points, axis } = qualityPoints(r);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Cost vs quality (up and left is better)',
    width: 420,
    height: 260,
    data: { values: points },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 120 },
        encoding: {
          x: { field: 'costPerCallUsd', type: 'quantitative', title: 'cost per call (USD)', scale: { zero: true } },
          y: { field: 'quality', type: 'quantitative', title: axis, scale: { zero: true } },
          color: { field: 'model', type: 'nominal', legend: null },
        },
      },
      {
        mark: { type: 'text', dx: 8, align: 'left', baseline: 'middle' },
        encoding: {
          x: { field: 'costPerCallUsd', type: 'quantitative' },
          y: { field: 'quality', type: 'quantitative' },
          text: { field: 'model', type: 'nominal' },
        },
      },
    ],
  } as TopLevelSpec;
}

export function latencySpec(r: Report): TopLevelSpec {
  const values: Array<{ model: string; metric: string; ms: number }> = [];
  for (const m of r.models) {
    const add = (metric: string, v: number | undefined) =>
      v !== undefined && values.push({ model: m.model, metric, ms: v });
    add('latency p50', m.latencyMs.p50);
    add('latency p95', m.latencyMs.p95);
    add('TTFT p50', m.ttftMs.p50);
    add('TTFT p95', m.ttftMs.p95);
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Latency and time to first token (ms, lower is better)',
    width: 420,
    height: 260,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'model', type: 'nominal', title: null, sort: null, axis: { labelAngle: -20 } },
      xOffset: { field: 'metric', type: 'nominal', sort: ['TTFT p50', 'TTFT p95', 'latency p50', 'latency p95'] },
      y: { field: 'ms', type: 'quantitative', title: 'ms' },
      color: {
        field: 'metric',
        type: 'nominal',
        title: null,
        sort: ['TTFT p50', 'TTFT p95', 'latency p50', 'latency p95'],
      },
    },
  } as TopLevelSpec;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
