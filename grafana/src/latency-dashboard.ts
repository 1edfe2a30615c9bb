// Latency: upstream percentiles, time to first token, what the gateway itself adds, load.
import { dashboard, GENAI_SEL, type PanelSpec } from './panels.js';

const UPSTREAM = `gen_ai_client_operation_duration_seconds_bucket{${GENAI_SEL}}`;
const quantileByModel = (q: number, bucket: string): string =>
  `histogram_quantile(${q}, sum by (le, gen_ai_provider_name, gen_ai_request_model) (rate(${bucket}[$__rate_interval])))`;

const upstreamPanel = (q: number, label: string): PanelSpec => ({
  kind: 'timeseries',
  title: `Upstream ${label} by provider/model`,
  description: `${label} of upstream call duration (gen_ai.client.operation.duration), per attempt.`,
  unit: 's',
  queries: [{ expr: quantileByModel(q, UPSTREAM), legend: '{{gen_ai_provider_name}}/{{gen_ai_request_model}}' }],
});

const panels: PanelSpec[] = [
  upstreamPanel(0.5, 'p50'),
  upstreamPanel(0.95, 'p95'),
  upstreamPanel(0.99, 'p99'),
  {
    kind: 'timeseries',
    title: 'Time to first token p50 / p95',
    description: 'Streams: time from sending the request to the first chunk from upstream.',
    unit: 's',
    queries: [0.5, 0.95].map((q) => ({
      expr: quantileByModel(q, `gen_ai_client_operation_time_to_first_chunk_seconds_bucket{${GENAI_SEL}}`),
      legend: `p${q * 100} {{gen_ai_provider_name}}/{{gen_ai_request_model}}`,
    })),
  },
  {
    kind: 'timeseries',
    title: 'Request duration p50 / p95 / p99 by route',
    description: 'End-to-end duration seen by clients, from receipt to the last byte.',
    unit: 's',
    queries: [0.5, 0.95, 0.99].map((q) => ({
      expr: `histogram_quantile(${q}, sum by (le, route) (rate(switchyard_request_duration_seconds_bucket[$__rate_interval])))`,
      legend: `p${q * 100} {{route}}`,
    })),
  },
  {
    kind: 'timeseries',
    title: 'Gateway overhead p50 / p99',
    description: 'Time the gateway itself adds: request duration minus time waiting on upstream.',
    unit: 's',
    queries: [0.5, 0.99].map((q) => ({
      expr: `histogram_quantile(${q}, sum by (le, endpoint) (rate(switchyard_gateway_overhead_seconds_bucket[$__rate_interval])))`,
      legend: `p${q * 100} {{endpoint}}`,
    })),
  },
  {
    kind: 'timeseries',
    title: 'Throughput by route',
    description: 'Client requests per second, by route and status class.',
    unit: 'reqps',
    queries: [
      {
        expr: 'sum by (route, status_class) (rate(switchyard_requests_total[$__rate_interval]))',
        legend: '{{route}} {{status_class}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Output tokens per second by provider/model',
    description: 'Generation throughput across all calls.',
    unit: 'short',
    queries: [
      {
        expr: `sum by (gen_ai_provider_name, gen_ai_request_model) (rate(gen_ai_client_token_usage_sum{${GENAI_SEL}, gen_ai_token_type="output"}[$__rate_interval]))`,
        legend: '{{gen_ai_provider_name}}/{{gen_ai_request_model}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'In-flight requests',
    description: 'Client requests being handled right now.',
    unit: 'short',
    queries: [{ expr: 'sum(switchyard_in_flight_requests)', legend: 'in flight' }],
  },
  {
    kind: 'timeseries',
    title: 'Shadow: primary vs candidate p95',
    description:
      'Shadow traffic (routes with `shadow:`): upstream duration p95 of the live primary and of the mirrored candidate call.',
    unit: 's',
    queries: [
      {
        expr: 'histogram_quantile(0.95, sum by (le, route, role) (rate(switchyard_shadow_duration_seconds_bucket[$__rate_interval])))',
        legend: '{{route}} {{role}}',
      },
    ],
  },
  {
    kind: 'timeseries',
    title: 'Shadow: output similarity and spend',
    description:
      'Mean similarity (0..1) of the candidate output to the primary output, and shadow spend per second (USD, operator shadow account).',
    unit: 'short',
    queries: [
      {
        expr: 'sum by (route, target) (rate(switchyard_shadow_similarity_sum[$__rate_interval])) / sum by (route, target) (rate(switchyard_shadow_similarity_count[$__rate_interval]))',
        legend: 'similarity {{route}} → {{target}}',
      },
      {
        expr: 'sum by (route, target) (rate(switchyard_shadow_cost_usd_total[$__rate_interval]))',
        legend: 'USD/s {{route}} → {{target}}',
      },
    ],
  },
  {
    kind: 'stat',
    title: 'Overhead p99 (range)',
    description: 'Gateway overhead 99th percentile over the selected range.',
    unit: 's',
    thresholds: [
      [0.005, 'orange'],
      [0.01, 'red'],
    ],
    queries: [
      {
        expr: 'histogram_quantile(0.99, sum by (le) (increase(switchyard_gateway_overhead_seconds_bucket[$__range])))',
      },
    ],
  },
];

export const latencyDashboard = () =>
  dashboard(
    'switchyard-latency',
    'Switchyard / Latency',
    'Upstream and end-to-end latency, time to first token, gateway overhead, load.',
    panels,
  );
