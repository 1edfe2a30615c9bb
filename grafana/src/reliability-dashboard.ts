// Reliability: what fails, how the gateway absorbs it (retries, fallbacks, hedges, breakers).
import { dashboard, type PanelSpec, SEL } from './panels.js';

const ATTEMPTS = `switchyard_upstream_attempts_total{${SEL}}`;

const panels: PanelSpec[] = [
  {
    kind: 'stat',
    title: 'Client error rate (5xx)',
    description: 'Share of client requests answered with a 5xx: failures the gateway could not absorb.',
    unit: 'percentunit',
    thresholds: [
      [0.01, 'orange'],
      [0.05, 'red'],
    ],
    queries: [
      {
        expr: 'sum(rate(switchyard_requests_total{status_class="5xx"}[$__rate_interval])) / sum(rate(switchyard_requests_total[$__rate_interval]))',
      },
    ],
  },
  {
    kind: 'stat',
    title: 'Upstream attempt error rate',
    description: 'Share of upstream attempts that failed (before retries and fallbacks).',
    unit: 'percentunit',
    thresholds: [
      [0.05, 'orange'],
      [0.2, 'red'],
    ],
    queries: [
      {
        expr: `sum(rate(switchyard_upstream_attempts_total{${SEL}, outcome="error"}[$__rate_interval])) / sum(rate(${ATTEMPTS}[$__rate_interval]))`,
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Client errors by class',
    description: 'Requests per second that ended in an error, by error class (auth, rate_limited, upstream_5xx, …).',
    unit: 'reqps',
    queries: [
      {
        expr: 'sum by (error_class, status_class) (rate(switchyard_requests_total{error_class!="none"}[$__rate_interval]))',
        legend: '{{error_class}} ({{status_class}})',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Upstream errors by provider and class',
    description: 'Failed upstream attempts per second.',
    unit: 'reqps',
    queries: [
      {
        expr: `sum by (provider, error_class) (rate(switchyard_upstream_attempts_total{${SEL}, outcome="error"}[$__rate_interval]))`,
        legend: '{{provider}} {{error_class}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Upstream status codes',
    description: 'Upstream responses per second by HTTP status (`none`: no response, e.g. connection refused).',
    unit: 'reqps',
    queries: [
      {
        expr: 'sum by (provider, status_code) (rate(switchyard_upstream_responses_total{provider=~"$provider"}[$__rate_interval]))',
        legend: '{{provider}} {{status_code}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Attempts by kind',
    description: 'Upstream attempts per second: primary, retry, fallback, hedge.',
    unit: 'reqps',
    queries: [{ expr: `sum by (kind) (rate(${ATTEMPTS}[$__rate_interval]))`, legend: '{{kind}}' }],
  },
  {
    kind: 'timeseries',
    title: 'Retries',
    description: 'Retries per second by route and target.',
    unit: 'reqps',
    queries: [
      {
        expr: 'sum by (route, target) (rate(switchyard_retries_total[$__rate_interval]))',
        legend: '{{route}} → {{target}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Fallbacks',
    description: 'Fallbacks per second by route and the target fallen back to.',
    unit: 'reqps',
    queries: [
      {
        expr: 'sum by (route, target) (rate(switchyard_fallbacks_total[$__rate_interval]))',
        legend: '{{route}} → {{target}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Hedges',
    description: 'Hedge attempts per second by route and outcome (ok = the hedge won).',
    unit: 'reqps',
    queries: [
      {
        expr: 'sum by (route, outcome) (rate(switchyard_hedges_total[$__rate_interval]))',
        legend: '{{route}} {{outcome}}',
      },
    ],
  },
  {
    kind: 'table',
    title: 'Circuit breaker state',
    description: 'Per target: 0 closed, 1 half-open, 2 open.',
    unit: 'short',
    queries: [{ expr: 'max by (target) (switchyard_breaker_state)', instant: true }],
  },
  {
    kind: 'timeseries',
    title: 'Breaker skips',
    description: 'Targets skipped per second because their breaker was open.',
    unit: 'reqps',
    queries: [
      {
        expr: 'sum by (target) (rate(switchyard_breaker_skips_total[$__rate_interval]))',
        legend: '{{target}}',
      },
    ],
  },
  {
    kind: 'stat',
    title: 'Open breakers',
    description: 'Number of targets whose breaker is open now.',
    unit: 'short',
    thresholds: [[1, 'red']],
    queries: [{ expr: 'count(switchyard_breaker_state == 2) or vector(0)' }],
  },
];

export const reliabilityDashboard = () =>
  dashboard(
    'switchyard-reliability',
    'Switchyard / Reliability',
    'Errors by class and provider, retries, fallbacks, hedges, circuit breakers.',
    panels,
  );
