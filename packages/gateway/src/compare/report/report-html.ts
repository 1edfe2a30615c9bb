// report.html: one self-contained file (inline CSS, charts as inline SVG rendered at build time, no script, no
// external URL), so it opens from disk in any browser, offline.
import { costQualitySpec, latencySpec, renderSvg } from './report-charts.js';
import type { Cell, Report } from './report-model.js';

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const fmt = (n: number | undefined) => (n === undefined ? '–' : String(n));
const MAX_ROWS = 200;
const MAX_TEXT = 2_000;

const CSS = `body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1200px;padding:0 16px;color:#1b1f24}
h1{font-size:22px}h2{font-size:18px;margin-top:32px}h3{font-size:15px;margin:24px 0 6px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}.stop{background:#fff4e5;border:1px solid #f0a020;padding:8px 12px}
.charts{display:flex;flex-wrap:wrap;gap:24px}.chart svg{max-width:100%;height:auto}.ok{color:#1a7f37}.bad{color:#cf222e}
pre{white-space:pre-wrap;margin:0;font:12px/1.4 ui-monospace,monospace;max-height:240px;overflow:auto}.muted{color:#57606a}`;

export async function renderHtml(r: Report): Promise<string> {
  const [costSvg, latencySvg] = await Promise.all([renderSvg(costQualitySpec(r)), renderSvg(latencySpec(r))]);
  const judged = r.models.some((m) => m.judge);
  const shadow = r.models.some((m) => m.similarity);
  const head = `<tr><th>model</th><th>calls</th><th>errors</th><th>cost (USD)</th><th>per call (USD)</th><th>latency p50 / p95 (ms)</th><th>TTFT p50 / p95 (ms)</th><th>tokens in / out</th><th>assertions</th>${judged ? '<th>judge (1–10)</th>' : ''}${shadow ? '<th>similarity</th>' : ''}</tr>`;
  const rows = r.models
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.model)}</td><td class="n">${m.calls}</td><td class="n">${m.errors}</td><td class="n">${m.costUsd}</td><td class="n">${m.costPerCallUsd ?? '–'}</td><td class="n">${fmt(m.latencyMs.p50)} / ${fmt(m.latencyMs.p95)}</td><td class="n">${fmt(m.ttftMs.p50)} / ${fmt(m.ttftMs.p95)}</td><td class="n">${m.tokens.input} / ${m.tokens.output}</td><td class="n">${m.assertions.total ? `${Math.round((m.assertions.rate ?? 0) * 1000) / 10} % (${m.assertions.passed}/${m.assertions.total})` : '–'}</td>` +
        (judged ? `<td class="n">${fmt(m.judge?.meanScore)}</td>` : '') +
        (shadow ? `<td class="n">${fmt(m.similarity?.mean)}</td>` : '') +
        '</tr>',
    )
    .join('\n');
  const s = r.settings;
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${escapeHtml(r.title)}</title><style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(r.title)}</h1>`,
    `<p class="muted">Generated ${escapeHtml(r.createdAt)} · ${r.totals.calls} of ${r.totals.plannedCalls} planned calls · model cost $${r.totals.costUsd}${s.judge ? ` · judge ${escapeHtml(String(s.judge))} cost $${r.totals.judgeCostUsd}` : ''}${s.maxCostUsd ? ` · cap $${escapeHtml(String(s.maxCostUsd))}` : ''}</p>`,
    r.stopped ? `<p class="stop" id="stopped">${escapeHtml(r.stopped.message)}</p>` : '',
    `<table id="summary">${head}\n${rows}</table>`,
    `<div class="charts"><figure class="chart" id="chart-cost-quality">${costSvg}</figure><figure class="chart" id="chart-latency">${latencySvg}</figure></div>`,
  ];
  if (r.prompts.length > 0) {
    parts.push('<h2>Answers per prompt</h2>');
    const models = r.models.map((m) => m.model);
    for (const p of r.prompts.slice(0, MAX_ROWS)) {
      parts.push(`<h3>${escapeHtml(p.id)}</h3><pre>${escapeHtml(p.prompt.slice(0, MAX_TEXT))}</pre>`);
      if (p.expected !== undefined)
        parts.push(`<p class="muted">Expected: ${escapeHtml(p.expected.slice(0, MAX_TEXT))}</p>`);
      const cells = models.flatMap((m) => (p.cells[m] ?? []).map((c) => cellHtml(m, c, judged)));
      parts.push(
        `<table><tr><th>model</th><th>answer</th><th>cost (USD)</th><th>latency / TTFT (ms)</th><th>assertions</th>${judged ? '<th>judge</th>' : ''}</tr>${cells.join('')}</table>`,
      );
    }
    if (r.prompts.length > MAX_ROWS)
      parts.push(`<p class="muted">${r.prompts.length - MAX_ROWS} more in report.json</p>`);
  }
  parts.push('</body></html>\n');
  return parts.join('\n');
}

function cellHtml(model: string, c: Cell, judged: boolean): string {
  const answer = c.ok
    ? `<pre>${escapeHtml((c.text ?? '').slice(0, MAX_TEXT))}</pre>`
    : `<span class="bad">error: ${escapeHtml(c.error ?? 'failed')}</span>`;
  const checks =
    c.assertions
      .map(
        (a) =>
          `<div class="${a.pass ? 'ok' : 'bad'}">${a.pass ? '✔' : '✘'} ${a.type}${a.pass ? '' : `: ${escapeHtml(a.detail)}`}</div>`,
      )
      .join('') || '–';
  const judge = c.judge ? `<b>${c.judge.score ?? '?'}</b> ${escapeHtml(c.judge.reason)}` : '–';
  return `<tr><td>${escapeHtml(model)}${c.run > 1 ? ` (run ${c.run})` : ''}</td><td>${answer}</td><td class="n">${c.costUsd ?? '–'}</td><td class="n">${c.latencyMs} / ${fmt(c.ttftMs)}</td><td>${checks}</td>${judged ? `<td>${judge}</td>` : ''}</tr>`;
}
