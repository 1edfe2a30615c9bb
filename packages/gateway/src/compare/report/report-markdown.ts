// report.md: the summary table per model, then each prompt's answers side by side.
import type { Cell, Report } from './report-model.js';

const cellText = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
const fmt = (n: number | undefined, unit = '') => (n === undefined ? '–' : `${n}${unit}`);
const pct = (r: number | undefined) => (r === undefined ? '–' : `${Math.round(r * 1000) / 10} %`);
const MAX_ROWS = 200;
const MAX_TEXT = 400;

export function renderMarkdown(r: Report): string {
  const out: string[] = [`# ${r.title}`, '', `Generated ${r.createdAt}.`, ''];
  if (r.stopped) out.push(`> **${r.stopped.message}**`, '');
  const s = r.settings;
  out.push(
    `Calls: ${r.totals.calls} of ${r.totals.plannedCalls} planned · model cost $${r.totals.costUsd}` +
      (s.judge ? ` · judge (${String(s.judge)}) cost $${r.totals.judgeCostUsd}` : '') +
      (s.maxCostUsd ? ` · cap $${String(s.maxCostUsd)}` : ''),
    '',
  );
  const judged = r.models.some((m) => m.judge);
  const shadow = r.models.some((m) => m.similarity);
  out.push(
    `| model | calls | errors | cost (USD) | per call (USD) | latency p50 / p95 (ms) | TTFT p50 / p95 (ms) | tokens in / out | assertions |${judged ? ' judge (1–10) |' : ''}${shadow ? ' similarity |' : ''}`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|${judged ? '---:|' : ''}${shadow ? '---:|' : ''}`,
  );
  for (const m of r.models) {
    out.push(
      `| ${cellText(m.model)} | ${m.calls} | ${m.errors} | ${m.costUsd} | ${m.costPerCallUsd ?? '–'} | ${fmt(m.latencyMs.p50)} / ${fmt(m.latencyMs.p95)} | ${fmt(m.ttftMs.p50)} / ${fmt(m.ttftMs.p95)} | ${m.tokens.input} / ${m.tokens.output} | ${m.assertions.total ? `${pct(m.assertions.rate)} (${m.assertions.passed}/${m.assertions.total})` : '–'} |` +
        (judged ? ` ${fmt(m.judge?.meanScore)} |` : '') +
        (shadow ? ` ${m.similarity ? fmt(m.similarity.mean) : '–'} |` : ''),
    );
  }
  out.push('');
  if (r.prompts.length === 0) return `${out.join('\n')}\n`;
  out.push('## Answers per prompt', '');
  const models = r.models.map((m) => m.model);
  for (const p of r.prompts.slice(0, MAX_ROWS)) {
    out.push(`### ${cellText(p.id)}`, '', `> ${cellText(p.prompt.slice(0, MAX_TEXT))}`, '');
    if (p.expected !== undefined) out.push(`Expected: ${cellText(p.expected.slice(0, MAX_TEXT))}`, '');
    out.push(
      '| model | answer | cost (USD) | latency (ms) | assertions |' + (judged ? ' judge |' : ''),
      '|---|---|---:|---:|---|' + (judged ? '---|' : ''),
    );
    for (const m of models) for (const c of p.cells[m] ?? []) out.push(row(m, c, judged));
    out.push('');
  }
  if (r.prompts.length > MAX_ROWS) out.push(`(${r.prompts.length - MAX_ROWS} more in report.json)`, '');
  return `${out.join('\n')}\n`;
}

function row(model: string, c: Cell, judged: boolean): string {
  const answer = c.ok ? (c.text ?? '').slice(0, MAX_TEXT) : `**error:** ${c.error ?? 'failed'}`;
  const checks =
    c.assertions.map((a) => `${a.pass ? '✔' : '✘'} ${a.type}${a.pass ? '' : `: ${a.detail}`}`).join('<br>') || '–';
  const judge = c.judge ? `${c.judge.score ?? '?'}: ${c.judge.reason}` : '–';
  return `| ${cellText(model)}${c.run > 1 ? ` (run ${c.run})` : ''} | ${cellText(answer)} | ${c.costUsd ?? '–'} | ${c.latencyMs} | ${cellText(checks)} |${judged ? ` ${cellText(judge)} |` : ''}`;
}
