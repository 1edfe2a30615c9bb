// Proof against a real Prometheus: it scrapes a real gateway's /metrics (Express shell, route executor, accounts
// with two keys, simulators behind it) while mixed traffic flows, loads our rules, and every panel query of every
// dashboard must parse and return data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PromSample, prometheusMissing, type RunningPrometheus, startPrometheus } from '../support/prometheus.js';
import { metricNames, panelQueries, RULE_FILES, substitute } from './dashboard-queries.js';
import { type RealGateway, sendWave, startRealGateway } from './real-gateway.js';

/** Panels allowed to stay empty in this run, with the reason. Empty today: none — the mix covers every panel. */
const EMPTY_BY_DESIGN: Record<string, string> = {};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(prometheusMissing)('dashboards and rules against a real Prometheus', () => {
  let gw: RealGateway;
  const statuses: number[] = [];
  let prom: RunningPrometheus;
  let startS: number;
  let exposition: string;

  beforeAll(async () => {
    startS = Math.floor(Date.now() / 1000) - 1;
    gw = await startRealGateway();
    prom = await startPrometheus({ targets: [gw.target], ruleFiles: RULE_FILES, scrapeIntervalS: 1 });
    // Prometheus applies new targets on a ~5 s tick: start traffic only once it scrapes, so every wave is seen.
    const up = await prom.waitFor('up{job="switchyard"} == 1', 15_000);
    expect(up.data?.result, 'gateway never scraped').toHaveLength(1);
    // A bounded burst spread over several scrapes, so rates and quantiles have increases to work on.
    for (let i = 0; i < 6; i++) {
      statuses.push(...(await sendWave(gw)));
      await sleep(700);
    }
    const ready = await prom.waitFor('sum(rate(switchyard_requests_total[1m])) > 0', 10_000);
    expect(ready.status).toBe('success');
    await sleep(2500); // one more rule evaluation after the last samples
    exposition = await fetch(`http://${gw.target}/metrics`).then((r) => r.text());
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await gw?.stop();
  });

  it('the traffic mix really was mixed', () => {
    // 200 ok/fallback/hedge, 401 no key, 429 retries exhausted, 5xx upstream failure (503 once its breaker opens).
    for (const status of [200, 401, 429]) expect(statuses).toContain(status);
    expect(statuses.some((s) => s >= 500)).toBe(true);
  });

  it('scrapes the gateway target successfully', async () => {
    const res = await prom.query('up{job="switchyard"}');
    expect(res.data?.result).toEqual([expect.objectContaining({ value: [expect.any(Number), '1'] })]);
  });

  const queries = panelQueries();
  it('has panel queries to check', () => {
    expect(queries.length).toBeGreaterThan(30);
  });

  it.each(queries.map((q) => [`${q.dashboard} › ${q.panel} › ${q.refId}`, q] as const))('%s', async (_name, q) => {
    const expr = substitute(q.expr);
    const endS = Math.ceil(Date.now() / 1000);
    const res = q.instant ? await prom.query(expr) : await prom.queryRange(expr, startS, endS, 1);
    expect(res.error, expr).toBeUndefined();
    expect(res.status, expr).toBe('success');
    const result = (Array.isArray(res.data?.result) ? res.data.result : []) as PromSample[];
    const values = result.flatMap((s) => (s.values ?? (s.value ? [s.value] : [])).map(([, v]) => v));
    const real = values.filter((v) => v !== 'NaN');
    if (EMPTY_BY_DESIGN[q.panel]) return;
    expect(real.length, `no data for ${expr}`).toBeGreaterThan(0);
  });

  it('per-team gauges have both teams and the budget alert was delivered (the new cost panels are real data)', async () => {
    const teams = await prom.query('count(max by (team) (switchyard_team_spent_usd{period="total"}))');
    expect(teams.data?.result).toEqual([expect.objectContaining({ value: [expect.any(Number), '2'] })]);
    const pool = await prom.query('max by (team) (switchyard_team_credits_remaining_usd) > 0');
    expect(pool.data?.result).toHaveLength(1);
    const delivered = await prom.query('sum(switchyard_alert_deliveries_total{outcome="delivered"})');
    expect(delivered.data?.result).toEqual([expect.objectContaining({ value: [expect.any(Number), '1'] })]);
  });

  it('template variable queries return values', async () => {
    for (const [label, match] of [
      ['provider', 'switchyard_upstream_attempts_total'],
      ['model', 'switchyard_upstream_attempts_total'],
      ['key', 'switchyard_cost_usd_total'],
    ] as const) {
      const res = (await prom.api(`/api/v1/label/${label}/values?match[]=${encodeURIComponent(match)}`)) as {
        data?: string[];
      };
      expect(res.data?.length, label).toBeGreaterThan(0);
    }
  });

  it('every metric named in dashboards and rules exists in /metrics', async () => {
    const rules = (await prom.api('/api/v1/rules')) as unknown as {
      data: { groups: Array<{ rules: Array<{ query: string }> }> };
    };
    const exprs = [...queries.map((q) => q.expr), ...rules.data.groups.flatMap((g) => g.rules.map((r) => r.query))];
    const names = [...new Set(exprs.flatMap(metricNames))];
    expect(names.length).toBeGreaterThan(10);
    const exposed = new Set(exposition.split('\n').map((l) => l.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)/)?.[1]));
    expect(names.filter((n) => !exposed.has(n))).toEqual([]);
  });

  it('loads every recording and alert rule, all healthy, and the expected alerts trigger', async () => {
    const res = (await prom.api('/api/v1/rules')) as unknown as {
      data: { groups: Array<{ rules: Array<{ name: string; type: string; health: string; state?: string }> }> };
    };
    const rules = res.data.groups.flatMap((g) => g.rules);
    expect(rules.length).toBe(15);
    expect(rules.filter((r) => r.health !== 'ok').map((r) => r.name)).toEqual([]);
    const state = Object.fromEntries(rules.filter((r) => r.type === 'alerting').map((r) => [r.name, r.state]));
    // The mix calls a model without a price every wave (no `for:`): firing. Every wave has a 5xx and the broken
    // targets' breakers open: pending, as their `for:` has not elapsed. No key is near its budget.
    expect(state.SwitchyardUnknownPriceCalls).toBe('firing');
    expect(state.SwitchyardHighErrorRate).toBe('pending');
    expect(state.SwitchyardUpstreamErrors).toBe('pending');
    expect(state.SwitchyardBreakerOpen).toBe('pending');
    expect(state.SwitchyardBudgetExhausted).toBe('inactive');
  });
});
