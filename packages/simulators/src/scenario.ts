// Scenario parsing (x-sim-scenario header: JSON or a preset name), merging and fault normalisation.
import type { Fault, ResolvedScenario, Scenario } from './types.js';

export const SCENARIO_HEADER = 'x-sim-scenario';

/** Named scenarios usable as `x-sim-scenario: <name>` or `--scenario <name>`. */
export const SCENARIO_PRESETS: Readonly<Record<string, ResolvedScenario>> = {
  ok: {},
  slow: { latencyMs: 200 },
  rate_limited: { fault: { kind: 'status', status: 429, code: 'rate_limit' } },
  quota_exhausted: { fault: { kind: 'status', code: 'insufficient_quota' } },
  overloaded: { fault: { kind: 'status', code: 'overloaded' } },
  server_error: { fault: { kind: 'status', status: 500 } },
  context_length: { fault: { kind: 'status', code: 'context_length' } },
  content_filter: { fault: { kind: 'status', code: 'content_filter' } },
  reset_before_headers: { fault: { kind: 'reset_before_headers' } },
  reset_mid_stream: { fault: { kind: 'reset_mid_stream', afterChunks: 2 } },
  stream_error_event: { fault: { kind: 'stream_error_event', afterChunks: 2 } },
  malformed_sse: { fault: { kind: 'malformed_sse', afterChunks: 1 } },
  malformed_json: { fault: { kind: 'malformed_json' } },
  hang: { fault: { kind: 'hang' } },
  slow_drip: { fault: { kind: 'slow_drip', byteDelayMs: 1 } },
  html_error: { fault: { kind: 'html_error' } },
  cached: { cachedTokens: 8 },
  reasoning: { reasoningTokens: 32 },
};

const FAULT_KINDS = new Set([
  'status',
  'reset_before_headers',
  'reset_mid_stream',
  'stream_error_event',
  'malformed_sse',
  'malformed_json',
  'hang',
  'slow_drip',
  'html_error',
  'fail_first_n',
]);

export class ScenarioError extends Error {}

/** Accepts `{ status: N }` as shorthand for `{ kind: 'status', status: N }`; rejects unknown kinds. */
export function normalizeFault(raw: unknown): Fault | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return normalizeFault({ kind: raw });
  if (typeof raw !== 'object') throw new ScenarioError('fault must be an object');
  const f = raw as Record<string, unknown>;
  const kind = f.kind ?? (f.status !== undefined || f.code !== undefined ? 'status' : undefined);
  if (typeof kind !== 'string' || !FAULT_KINDS.has(kind))
    throw new ScenarioError(`unknown fault kind: ${String(kind)}`);
  if (kind === 'fail_first_n') {
    if (typeof f.n !== 'number') throw new ScenarioError('fail_first_n needs a numeric n');
    return { kind, n: f.n, fault: normalizeFault(f.fault) };
  }
  return { ...f, kind } as Fault;
}

export function normalizeScenario(raw: unknown): ResolvedScenario {
  if (typeof raw === 'string') {
    const preset = SCENARIO_PRESETS[raw];
    if (!preset) throw new ScenarioError(`unknown scenario preset: ${raw}`);
    return preset;
  }
  if (typeof raw !== 'object' || raw === null) throw new ScenarioError('scenario must be a JSON object or preset name');
  const s = raw as Record<string, unknown>;
  const base = typeof s.preset === 'string' ? normalizeScenario(s.preset) : {};
  const fault = s.fault !== undefined ? normalizeFault(s.fault) : base.fault;
  const { preset: _preset, ...rest } = s;
  return { ...base, ...(rest as Omit<Scenario, 'fault'>), fault };
}

/** Parse the header value: a preset name, or JSON (optionally `{ "preset": name, ...overrides }`). */
export function parseScenarioHeader(value: string): ResolvedScenario {
  const text = value.trim();
  if (!text.startsWith('{')) return normalizeScenario(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ScenarioError('x-sim-scenario is not valid JSON');
  }
  return normalizeScenario(parsed);
}

/** Request-level scenario wins field by field over the server-wide one. */
export function mergeScenario(
  server: ResolvedScenario | undefined,
  request: ResolvedScenario | undefined,
): ResolvedScenario {
  if (!request) return server ?? {};
  if (!server) return request;
  return { ...server, ...request };
}

/**
 * The fault that applies to this request, after `fail_first_n` bookkeeping. `counters` is the server's map;
 * it is mutated (one more failure counted) only when the fault fires.
 */
export function activeFault(scenario: ResolvedScenario, counters: Map<string, number>): Fault | undefined {
  const fault = scenario.fault;
  if (fault?.kind !== 'fail_first_n') return fault;
  const key = scenario.scenarioKey ?? 'default';
  const failed = counters.get(key) ?? 0;
  if (failed >= fault.n) return undefined;
  counters.set(key, failed + 1);
  return normalizeFault(fault.fault) ?? { kind: 'status', code: 'overloaded' };
}
