// latest.svg: vega-lite spec from the results, rendered headlessly by vega (no canvas needed).
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import * as vl from 'vega-lite';
import type { OverheadEntry, RunResult, StreamingEntry } from '../types.js';

type Row = { contender: string; round: string; metric: string; value: number };

/** Flat rows for the chart, one per contender, round and metric; non-finite values are dropped. */
export function chartRows(run: RunResult): { latency: Row[]; rps: Row[]; ttft: Row[] } {
  const latency: Row[] = [];
  const rps: Row[] = [];
  const ttft: Row[] = [];
  const push = (rows: Row[], contender: string, round: number, metric: string, value: number | null) => {
    if (typeof value === 'number' && Number.isFinite(value))
      rows.push({ contender, round: `r${round}`, metric, value });
  };
  run.suites.overhead?.rounds.forEach((r, i) => {
    for (const e of r.contenders as OverheadEntry[]) {
      if (e.name === 'direct') continue;
      push(latency, e.name, i + 1, 'added p50 (c=1)', e.c1.added_p50_ms);
      push(latency, e.name, i + 1, 'added p99 (c=1)', e.c1.added_p99_ms);
      push(rps, e.name, i + 1, 'rps at c=32', e.c32.rps);
    }
    const direct = (r.contenders as OverheadEntry[]).find((e) => e.name === 'direct');
    if (direct) push(rps, 'direct', i + 1, 'rps at c=32', direct.c32.rps);
  });
  run.suites.streaming?.rounds.forEach((r, i) => {
    for (const e of r.contenders as StreamingEntry[]) {
      if (e.name !== 'direct') push(ttft, e.name, i + 1, 'added TTFT p50', e.added_ttft_p50_ms);
    }
  });
  return { latency, rps, ttft };
}

const bars = (title: string, values: Row[], yTitle: string) => ({
  title,
  data: { values },
  mark: { type: 'bar' as const, tooltip: true },
  encoding: {
    x: { field: 'contender', type: 'nominal' as const, sort: null, title: null },
    xOffset: { field: 'round', type: 'nominal' as const },
    y: { field: 'value', type: 'quantitative' as const, title: yTitle },
    color: { field: 'round', type: 'nominal' as const, title: 'round' },
    column: { field: 'metric', type: 'nominal' as const, title: null },
  },
  width: 180,
  height: 160,
});

export function chartSpec(run: RunResult): TopLevelSpec {
  const rows = chartRows(run);
  const panels = [
    rows.latency.length > 0 ? bars('Added latency vs direct at c=1 (ms, lower is better)', rows.latency, 'ms') : null,
    rows.rps.length > 0 ? bars('Throughput at c=32 (req/s, higher is better)', rows.rps, 'req/s') : null,
    rows.ttft.length > 0 ? bars('Streaming: added time to first byte (ms)', rows.ttft, 'ms') : null,
  ].filter((p) => p !== null);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `Switchyard benchmarks — ${run.machine.cpu}, ${run.machine.cores} cores, node ${run.node}`,
    vconcat: panels.length > 0 ? panels : [{ data: { values: [] }, mark: 'text' }],
  } as TopLevelSpec;
}

export async function renderSvg(run: RunResult): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(chartSpec(run)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
