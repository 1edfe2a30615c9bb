// A stacked-by-series time chart (uPlot, canvas), with a text table fallback for screen readers.
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ChartData } from '../lib/series.js';

const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7ea4', '#57606a'];

export function SpendChart({ data, title, daily }: { data: ChartData; title: string; daily: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || data.groups.length === 0) return;
    const width = Math.max(280, el.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 220,
        series: [
          {},
          ...data.groups.map((g, i) => ({
            label: g,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            value: (_u: uPlot, v: number | null) => (v == null ? '—' : `$${v.toFixed(6).replace(/0+$/, '0')}`),
          })),
        ],
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => `$${t}`), size: 70 }],
        scales: { x: { time: true } },
        legend: { live: !daily },
      },
      [data.x, ...data.y],
      el,
    );
    const resize = () => plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [data, daily]);
  if (data.groups.length === 0) return <p class="muted">No calls in this period yet.</p>;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} aria-hidden="true" />
    </figure>
  );
}
