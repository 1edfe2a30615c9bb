// How admission prices the upper bound of a call. The price source is injected (core's catalog in production).
import type { Usage } from '@switchyard/core';
import type { GatewayRequest, RouteTarget } from '../pipeline/seams.js';

/** What accounts needs from a price catalog. `undefined` = price unknown (never a silent $0). */
export interface AccountsPriceSource {
  costNanos(target: Pick<RouteTarget, 'providerId' | 'kind' | 'model'>, usage: Usage): bigint | undefined;
  maxOutputTokens?(target: Pick<RouteTarget, 'providerId' | 'kind' | 'model'>): number | undefined;
}

/**
 * Output cap used when neither the request (`max_tokens`) nor the catalog bounds the output. A provider that
 * returns more than this is still charged its actual cost (see docs/accounts.md "When actual > reserved").
 */
export const DEFAULT_OUTPUT_CAP = 8192;

export interface ReservationEstimate {
  /** cost upper bound over the most expensive target; undefined when some target has no price */
  amountNanos: bigint | undefined;
  tokens: number;
  unknownTargets: string[];
}

export function estimateReservation(
  req: Pick<GatewayRequest, 'endpoint' | 'estimatedInputTokens' | 'maxOutputTokens'>,
  targets: RouteTarget[],
  prices: AccountsPriceSource,
): ReservationEstimate {
  let amount = 0n;
  let tokens = 0;
  const unknownTargets: string[] = [];
  const inputTokens = Math.max(0, Math.ceil(req.estimatedInputTokens));
  for (const t of targets) {
    const outputTokens =
      req.endpoint === 'embeddings' ? 0 : (req.maxOutputTokens ?? prices.maxOutputTokens?.(t) ?? DEFAULT_OUTPUT_CAP);
    tokens = Math.max(tokens, inputTokens + outputTokens);
    const cost = prices.costNanos(t, {
      inputTokens,
      outputTokens,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
      source: 'estimated',
    });
    if (cost === undefined) unknownTargets.push(t.id);
    else if (cost > amount) amount = cost;
  }
  return { amountNanos: unknownTargets.length > 0 ? undefined : amount, tokens, unknownTargets };
}

/** A fixed per-million-token table, for tests, benches and operator overrides. */
export function tablePriceSource(
  table: Record<string, { inputPerMTok: number; outputPerMTok: number; maxOutput?: number }>,
): AccountsPriceSource {
  const perTok = (usdPerM: number) => BigInt(Math.round(usdPerM * 1000)); // nano-USD per token
  return {
    costNanos(t, u) {
      const p = table[`${t.providerId}/${t.model}`] ?? table[t.model];
      if (!p) return undefined;
      return BigInt(u.inputTokens) * perTok(p.inputPerMTok) + BigInt(u.outputTokens) * perTok(p.outputPerMTok);
    },
    maxOutputTokens(t) {
      return (table[`${t.providerId}/${t.model}`] ?? table[t.model])?.maxOutput;
    },
  };
}
