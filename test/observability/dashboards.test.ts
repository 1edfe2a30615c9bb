// The committed dashboard JSON is exactly what the TypeScript sources generate, and is structurally sound.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDashboards } from '../../grafana/src/generate.js';
import { GRAFANA_DIR, loadDashboards, metricNames, panelQueries } from './dashboard-queries.js';

/** Grafana's datasource-variable reference (not a JS template). */
const DS_UID = ['$', '{datasource}'].join('');

describe('grafana dashboards', () => {
  it('committed JSON equals a fresh generation (run `pnpm exec tsx grafana/src/generate.ts`)', () => {
    for (const [file, text] of Object.entries(renderDashboards())) {
      expect(readFileSync(`${GRAFANA_DIR}dashboards/${file}`, 'utf8'), file).toBe(text);
    }
  });

  it.each(loadDashboards().map((d) => [d.file, d.json] as const))('%s is a valid Grafana model', (_file, d) => {
    expect(d.uid).toMatch(/^switchyard-[a-z]+$/);
    expect(d.schemaVersion).toBeGreaterThanOrEqual(39);
    const vars = Object.fromEntries(d.templating.list.map((v) => [v.name, v]));
    expect(vars.datasource?.type).toBe('datasource');
    expect(vars.datasource?.query).toBe('prometheus');
    for (const name of ['provider', 'model', 'key']) {
      expect(vars[name]?.type, name).toBe('query');
      expect(vars[name]?.datasource?.uid, name).toBe(DS_UID);
    }
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) {
      expect(p.datasource?.uid, p.title).toBe(DS_UID);
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      const refIds = p.targets.map((t) => t.refId);
      expect(new Set(refIds).size, p.title).toBe(refIds.length);
      for (const t of p.targets) expect(t.datasource?.uid, p.title).toBe(DS_UID);
    }
    // No two panels overlap on the grid.
    const cells = new Set<string>();
    for (const p of d.panels)
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps`).toBe(false);
          cells.add(`${x},${y}`);
        }
  });

  it('covers the families the issue asks for', () => {
    const names = new Set(panelQueries().flatMap((q) => metricNames(q.expr)));
    for (const n of [
      'switchyard_cost_usd_total',
      'switchyard_unknown_price_calls_total',
      'switchyard_credits_remaining_usd',
      'switchyard_budget_used_ratio',
      'gen_ai_client_operation_duration_seconds_bucket',
      'gen_ai_client_operation_time_to_first_chunk_seconds_bucket',
      'gen_ai_client_token_usage_sum',
      'switchyard_gateway_overhead_seconds_bucket',
      'switchyard_in_flight_requests',
      'switchyard_requests_total',
      'switchyard_upstream_attempts_total',
      'switchyard_upstream_responses_total',
      'switchyard_retries_total',
      'switchyard_fallbacks_total',
      'switchyard_hedges_total',
      'switchyard_breaker_state',
    ]) {
      expect(names.has(n), n).toBe(true);
    }
  });

  it('metricNames finds metrics and skips labels and recording rules', () => {
    expect(
      metricNames(
        'sum by (gen_ai_provider_name) (rate(gen_ai_client_token_usage_sum{gen_ai_token_type="output"}[1m])) / switchyard:requests:rate5m',
      ),
    ).toEqual(['gen_ai_client_token_usage_sum']);
  });
});
