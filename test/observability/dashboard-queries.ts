// Reads the committed dashboards and rules and turns them into plain data the proof suites check.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const GRAFANA_DIR = fileURLToPath(new URL('../../grafana/', import.meta.url));
export const DASHBOARD_FILES = ['cost.json', 'latency.json', 'reliability.json'];
export const RULE_FILES = ['rules/recording.yml', 'rules/alerts.yml'].map((f) => `${GRAFANA_DIR}${f}`);

export interface DashboardJson {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: Array<{ name: string; type: string; query?: unknown; datasource?: { uid?: string } }> };
  panels: Array<{
    id: number;
    type: string;
    title: string;
    gridPos: { x: number; y: number; w: number; h: number };
    datasource?: { type?: string; uid?: string };
    targets: Array<{ refId: string; expr: string; instant?: boolean; datasource?: { uid?: string } }>;
  }>;
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  instant: boolean;
}

export function loadDashboards(): Array<{ file: string; json: DashboardJson }> {
  return DASHBOARD_FILES.map((file) => ({
    file,
    json: JSON.parse(readFileSync(`${GRAFANA_DIR}dashboards/${file}`, 'utf8')) as DashboardJson,
  }));
}

export function panelQueries(): PanelQuery[] {
  return loadDashboards().flatMap(({ json }) =>
    json.panels.flatMap((p) =>
      p.targets.map((t) => ({
        dashboard: json.title,
        panel: p.title,
        refId: t.refId,
        expr: t.expr,
        instant: t.instant === true,
      })),
    ),
  );
}

/** What Grafana would send with every variable at "All" and a 1 h dashboard range. */
export function substitute(expr: string, vars: { rateInterval?: string; range?: string } = {}): string {
  return expr
    .replaceAll('$__rate_interval', vars.rateInterval ?? '1m')
    .replaceAll('$__range', vars.range ?? '1h')
    .replace(/\$(provider|model|key)\b/g, '.*');
}

/** Label names that look like metric names (semconv attributes with dots turned into underscores). */
const LABELS = new Set(['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_token_type']);

/** Exposed metric names a PromQL expression reads (recording-rule names contain a colon and are not matched). */
export function metricNames(expr: string): string[] {
  const names = expr.match(/(?<![:\w])(?:switchyard|gen_ai)_[a-z0-9_]+(?![:\w])/g) ?? [];
  return [...new Set(names)].filter((n) => !LABELS.has(n));
}
