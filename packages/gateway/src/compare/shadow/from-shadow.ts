// `switchyard compare --from-shadow ROUTE --since 24h --gateway URL`: recorded shadow pairs → the same report as a
// compare run. Models are the primary target(s) and the shadow target; each pair is one row (no content: the
// gateway never records it), with the similarity of the shadow's output to the primary's.

import { type Cell, type PromptRow, type Report, type SummaryInput, summarize, usd } from '../report/report-model.js';
import type { ShadowPairView } from './shadow-log.js';

export interface FromShadowOptions {
  gateway: string;
  route: string;
  sinceMs: number;
  adminToken?: string;
  now?: () => number;
}

type Side = ShadowPairView['primary'];

const toInput = (s: Side, sim?: number): SummaryInput => ({
  ok: s.ok,
  latencyMs: s.latency_ms,
  assertions: [],
  ...(s.ttft_ms !== undefined && { ttftMs: s.ttft_ms }),
  ...(s.cost_nanos !== undefined && { costNanos: BigInt(s.cost_nanos) }),
  ...(s.input_tokens !== undefined && { inputTokens: s.input_tokens }),
  ...(s.output_tokens !== undefined && { outputTokens: s.output_tokens }),
  ...(sim !== undefined && { similarity: sim }),
});

const toCell = (s: Side, sim?: ShadowPairView['similarity']): Cell => ({
  run: 1,
  ok: s.ok,
  latencyMs: s.latency_ms,
  assertions: [],
  ...(s.error !== undefined && { error: s.error }),
  ...(s.cost_nanos !== undefined && { costNanos: s.cost_nanos, costUsd: usd(BigInt(s.cost_nanos)) }),
  ...(s.ttft_ms !== undefined && { ttftMs: s.ttft_ms }),
  ...(s.input_tokens !== undefined && { inputTokens: s.input_tokens }),
  ...(s.output_tokens !== undefined && { outputTokens: s.output_tokens }),
  ...(sim && { similarity: sim, text: `similarity to primary: ${sim.score} (${sim.kind})` }),
});

/** Pure: pairs (as the admin API returns them) → report. */
export function shadowReport(route: string, pairs: ShadowPairView[], sinceIso: string, createdAt: string): Report {
  const byModel = new Map<string, SummaryInput[]>();
  const add = (model: string, input: SummaryInput) => {
    const list = byModel.get(model) ?? [];
    list.push(input);
    byModel.set(model, list);
  };
  const prompts: PromptRow[] = [];
  let primaryCost = 0n;
  let shadowCost = 0n;
  for (const p of pairs) {
    add(p.primary.target, toInput(p.primary));
    add(p.shadow.target, toInput(p.shadow, p.similarity?.score));
    primaryCost += BigInt(p.primary.cost_nanos ?? '0');
    shadowCost += BigInt(p.shadow.cost_nanos ?? '0');
    const cells: Record<string, Cell[]> = { [p.primary.target]: [toCell(p.primary)] };
    const shadowCells = cells[p.shadow.target] ?? [];
    shadowCells.push(toCell(p.shadow, p.similarity));
    cells[p.shadow.target] = shadowCells;
    prompts.push({
      id: p.request_id,
      prompt: `${p.at} · ${p.streamed ? 'stream' : 'json'} (content is not recorded)`,
      cells,
    });
  }
  const models = [...byModel].map(([model, calls]) => summarize(model, calls, false));
  return {
    version: 1,
    kind: 'shadow',
    title: `Shadow traffic on route ${route}`,
    createdAt,
    source: { route, since: sinceIso, pairs: pairs.length },
    settings: { models: models.map((m) => m.model) },
    totals: {
      calls: pairs.length * 2,
      plannedCalls: pairs.length * 2,
      costNanos: (primaryCost + shadowCost).toString(),
      costUsd: usd(primaryCost + shadowCost),
      judgeCostNanos: '0',
      judgeCostUsd: usd(0n),
    },
    models,
    prompts,
  };
}

export async function reportFromShadow(o: FromShadowOptions): Promise<Report> {
  const now = (o.now ?? Date.now)();
  const since = now - o.sinceMs;
  const base = o.gateway.replace(/\/+$/, '').replace(/\/v1$/, '');
  const url = `${base}/admin/v1/shadow?route=${encodeURIComponent(o.route)}&since=${since}`;
  const res = await fetch(url, { headers: o.adminToken ? { authorization: `Bearer ${o.adminToken}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    throw new Error(`GET /admin/v1/shadow: HTTP ${res.status} ${body?.error?.message ?? ''}`.trim());
  }
  const json = (await res.json()) as { data: ShadowPairView[] };
  return shadowReport(o.route, json.data, new Date(since).toISOString(), new Date(now).toISOString());
}
