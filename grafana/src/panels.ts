// Shared dashboard building blocks: template variables and panel specs → foundation-sdk builders.
// Every panel is declared as data (kind, title, unit, queries) so the three dashboards stay short and uniform.
import { PanelBuilder as BarGauge } from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  type Panel,
  QueryVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as Stat } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeSeries } from '@grafana/grafana-foundation-sdk/timeseries';

// Grafana's own `${datasource}` variable syntax, not a JS template.
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana variable reference
export const DS = { type: 'prometheus', uid: '${datasource}' };

export interface Query {
  expr: string;
  legend?: string;
  /** Table / bar gauge panels show the latest value only. */
  instant?: boolean;
}

export interface PanelSpec {
  kind: 'timeseries' | 'stat' | 'bargauge' | 'table';
  title: string;
  description: string;
  unit: string;
  queries: Query[];
  width?: number;
  height?: number;
  /** Red/amber steps for stats and gauges, e.g. [[0.8, 'orange'], [1, 'red']]. */
  thresholds?: Array<[number, string]>;
}

/** Template variable for a label: multi-select with `All` = `.*`, so queries use `label=~"$var"`. */
function labelVariable(name: string, label: string, query: string) {
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DS)
    .query({ query, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(query)
    .refresh(2)
    .sort(1)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ text: 'All', value: '$__all' });
}

export function dashboard(uid: string, title: string, description: string, panels: PanelSpec[]) {
  const builder = new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['switchyard'])
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(labelVariable('provider', 'Provider', 'label_values(switchyard_upstream_attempts_total, provider)'))
    .withVariable(
      labelVariable('model', 'Model', 'label_values(switchyard_upstream_attempts_total{provider=~"$provider"}, model)'),
    )
    .withVariable(labelVariable('key', 'Virtual key', 'label_values(switchyard_cost_usd_total, key)'));
  const layout = flowLayout(panels);
  panels.forEach((spec, i) => {
    builder.withPanel(panel(spec, i + 1, layout[i]!));
  });
  return builder.build();
}

interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Left-to-right rows on Grafana's 24-column grid; a panel that does not fit starts the next row. */
function flowLayout(panels: PanelSpec[]): GridPos[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((p) => {
    const w = p.width ?? (p.kind === 'stat' ? 6 : 12);
    const h = p.height ?? (p.kind === 'stat' ? 5 : 8);
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const pos = { x, y, w, h };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return pos;
  });
}

/** What every panel kind sets, in the same call order for each (the generated JSON depends on it). */
interface PanelBase {
  id(id: number): this;
  title(title: string): this;
  description(description: string): this;
  datasource(datasource: typeof DS): this;
  unit(unit: string): this;
  gridPos(gridPos: GridPos): this;
}

function base<B extends PanelBase>(builder: B, spec: PanelSpec, id: number, size: GridPos): B {
  return builder.id(id).title(spec.title).description(spec.description).datasource(DS).unit(spec.unit).gridPos(size);
}

function panel(spec: PanelSpec, id: number, size: GridPos): cog.Builder<Panel> {
  const targets = spec.queries.map((q, i) => {
    const t = new DataqueryBuilder()
      .datasource(DS)
      .refId(String.fromCharCode(65 + i))
      .expr(q.expr)
      .legendFormat(q.legend ?? '__auto');
    return q.instant ? t.instant().format(PromQueryFormat.Table) : t.range();
  });
  const thresholds = new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([{ value: null, color: 'green' }, ...(spec.thresholds ?? []).map(([value, color]) => ({ value, color }))]);
  const lastValue = () => new ReduceDataOptionsBuilder().calcs(['lastNotNull']);
  switch (spec.kind) {
    case 'timeseries':
      return base(new TimeSeries(), spec, id, size)
        .legend(
          new VizLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(LegendDisplayMode.List)
            .placement(LegendPlacement.Bottom),
        )
        .targets(targets);
    case 'stat':
      return base(new Stat(), spec, id, size).thresholds(thresholds).reduceOptions(lastValue()).targets(targets);
    case 'bargauge':
      return base(new BarGauge(), spec, id, size).thresholds(thresholds).reduceOptions(lastValue()).targets(targets);
    case 'table':
      return base(new Table(), spec, id, size).targets(targets);
  }
}

/** Label matchers every Switchyard-label query shares. */
export const SEL = 'provider=~"$provider", model=~"$model"';
/**
 * The same filter on the GenAI semconv families. Only the model: their provider label holds the semconv name
 * (`gcp.gemini`), not the configured provider id the `$provider` variable lists.
 */
export const GENAI_SEL = 'gen_ai_request_model=~"$model"';
