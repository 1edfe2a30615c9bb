// Cost: where the money goes (provider / model / key), how fast, what is left.
import { dashboard, GENAI_SEL, type PanelSpec, SEL } from './panels.js';

const COST = `switchyard_cost_usd_total{${SEL}, key=~"$key"}`;

const panels: PanelSpec[] = [
  {
    kind: 'stat',
    title: 'Spend in range',
    description: 'Total USD spent on upstream calls in the selected time range.',
    unit: 'currencyUSD',
    queries: [{ expr: `sum(increase(${COST}[$__range]))` }],
  },
  {
    kind: 'stat',
    title: 'Burn rate (USD/hour)',
    description: 'Current spend rate, extrapolated to one hour.',
    unit: 'currencyUSD',
    queries: [{ expr: `sum(rate(${COST}[$__rate_interval])) * 3600` }],
  },
  {
    kind: 'stat',
    title: 'Projected month spend',
    description: 'Average burn rate of the last 24 hours times the number of seconds in the current month.',
    unit: 'currencyUSD',
    queries: [{ expr: `sum(rate(${COST}[1d])) * 86400 * scalar(days_in_month())` }],
  },
  {
    kind: 'stat',
    title: 'Unknown-price calls in range',
    description: 'Calls to models with no known price: their cost is missing, never counted as $0. Should be 0.',
    unit: 'short',
    thresholds: [[1, 'red']],
    queries: [{ expr: `sum(increase(switchyard_unknown_price_calls_total{${SEL}}[$__range])) or vector(0)` }],
  },
  {
    kind: 'timeseries',
    title: 'Spend rate by provider (USD/hour)',
    description: 'USD per hour, by provider.',
    unit: 'currencyUSD',
    queries: [{ expr: `sum by (provider) (rate(${COST}[$__rate_interval])) * 3600`, legend: '{{provider}}' }],
  },
  {
    kind: 'timeseries',
    title: 'Spend rate by model (USD/hour)',
    description: 'USD per hour, by provider and model.',
    unit: 'currencyUSD',
    queries: [
      { expr: `sum by (provider, model) (rate(${COST}[$__rate_interval])) * 3600`, legend: '{{provider}}/{{model}}' },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Spend rate by key (USD/hour)',
    description: 'USD per hour by virtual key id. Needs metrics.perKeyLabels; otherwise one unlabelled series.',
    unit: 'currencyUSD',
    queries: [{ expr: `sum by (key) (rate(${COST}[$__rate_interval])) * 3600`, legend: '{{key}}' }],
  },
  {
    kind: 'bargauge',
    title: 'Top 10 models by cost (range)',
    description: 'The ten provider/model pairs that cost the most in the selected range.',
    unit: 'currencyUSD',
    queries: [
      {
        expr: `topk(10, sum by (provider, model) (increase(${COST}[$__range])))`,
        legend: '{{provider}}/{{model}}',
        instant: true,
      },
    ],
  },
  {
    kind: 'table',
    title: 'Spend by provider, model and key (range)',
    description: 'Total USD in the selected range for each provider, model and key.',
    unit: 'currencyUSD',
    queries: [{ expr: `sort_desc(sum by (provider, model, key) (increase(${COST}[$__range])))`, instant: true }],
  },
  {
    kind: 'bargauge',
    title: 'Credits remaining by key',
    description: 'Prepaid credits left (USD). key="_all" is the sum over keys when per-key labels are off.',
    unit: 'currencyUSD',
    queries: [
      { expr: 'sum by (key) (switchyard_credits_remaining_usd{key=~"$key"})', legend: '{{key}}', instant: true },
    ],
  },
  {
    kind: 'bargauge',
    title: 'Budget used by key and period',
    description: 'Share of each budget used (settled + reserved). Amber from 80 %, red at 100 %.',
    unit: 'percentunit',
    thresholds: [
      [0.8, 'orange'],
      [1, 'red'],
    ],
    queries: [
      {
        expr: 'max by (key, period) (switchyard_budget_used_ratio{key=~"$key"})',
        legend: '{{key}} ({{period}})',
        instant: true,
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Spend today by team (USD)',
    description:
      "USD spent by each team's keys since 00:00 UTC (switchyard_team_spent_usd, read from the shared store: max over replicas).",
    unit: 'currencyUSD',
    queries: [{ expr: 'max by (team) (switchyard_team_spent_usd{period="day"})', legend: '{{team}}' }],
  },
  {
    kind: 'table',
    title: 'Spend by team and period',
    description: 'USD spent by each team today, this month and in total (the statement has the details).',
    unit: 'currencyUSD',
    queries: [{ expr: 'sort_desc(max by (team, period) (switchyard_team_spent_usd))', instant: true }],
  },
  {
    kind: 'bargauge',
    title: 'Credits remaining by team',
    description: "Each team's pooled prepaid credits (USD). Teams without a pool have no series.",
    unit: 'currencyUSD',
    queries: [{ expr: 'max by (team) (switchyard_team_credits_remaining_usd)', legend: '{{team}}', instant: true }],
  },
  {
    kind: 'bargauge',
    title: 'Budget used by team and period',
    description: 'Share of each team budget used (settled + reserved). Amber from 80 %, red at 100 %.',
    unit: 'percentunit',
    thresholds: [
      [0.8, 'orange'],
      [1, 'red'],
    ],
    queries: [
      {
        expr: 'max by (team, period) (switchyard_team_budget_used_ratio)',
        legend: '{{team}} ({{period}})',
        instant: true,
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Alert webhook deliveries by event and outcome',
    description:
      'Budget-alert deliveries per minute: delivered, retried (one retry scheduled), failed (gave up), dropped (queue full).',
    unit: 'short',
    queries: [
      {
        expr: 'sum by (event, outcome) (increase(switchyard_alert_deliveries_total[$__rate_interval]))',
        legend: '{{event}} {{outcome}}',
      },
    ],
  },
  {
    kind: 'stat',
    title: 'Saved by the response cache (range)',
    description:
      'Upstream spend avoided by cache hits in the selected range: what the original calls cost (see docs/cache.md).',
    unit: 'currencyUSD',
    queries: [{ expr: 'sum(increase(switchyard_cost_saved_usd_total[$__range]))' }],
  },
  {
    kind: 'timeseries',
    title: 'Response cache hit ratio by route',
    description: 'Hits / (hits + misses) per route; requests the cache was bypassed for are left out.',
    unit: 'percentunit',
    queries: [
      {
        expr:
          'sum by (route) (rate(switchyard_cache_requests_total{result="hit"}[$__rate_interval]))' +
          ' / sum by (route) (rate(switchyard_cache_requests_total{result=~"hit|miss"}[$__rate_interval]))',
        legend: '{{route}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Tokens per second by type',
    description: 'Billed input and output tokens per second (gen_ai.client.token.usage).',
    unit: 'short',
    queries: [
      {
        expr: `sum by (gen_ai_token_type) (rate(gen_ai_client_token_usage_sum{${GENAI_SEL}}[$__rate_interval]))`,
        legend: '{{gen_ai_token_type}}',
      },
    ],
  },
  {
    kind: 'table',
    title: 'Unknown-price calls by model (range)',
    description: 'Which models had no price: add a price override in config for each.',
    unit: 'short',
    queries: [
      {
        expr: `sum by (provider, model) (increase(switchyard_unknown_price_calls_total{${SEL}}[$__range])) > 0`,
        instant: true,
      },
    ],
  },
];

export const costDashboard = () =>
  dashboard(
    'switchyard-cost',
    'Switchyard / Cost',
    'Spend by provider, model, key and team; credits, budgets and budget alerts.',
    panels,
  );
