// THE price resolution of the gateway. Admission (reservation), `cheapest` routing, the `x-switchyard-cost-usd`
// header, `usage.cost` in bodies and stream chunks, metrics and the ledger all price through `resolvePrice`, so
// they cannot disagree (two resolutions that disagreed are how calls used to be served free).
import {
  catalogProviderFor,
  computeCost,
  type ModelPrice,
  type PriceSource,
  type ProviderKind,
} from '@switchyard/core';

export interface PricedTarget {
  /** Configured provider id (`groq`): operator overrides are keyed `<providerId>/<model>`. */
  providerId: string;
  kind: ProviderKind;
  model: string;
  /** The catalog provider the target bills like (see `catalogProviderOf`). */
  catalogProvider?: string;
}

/**
 * The price of `target` for a call made at `at` (epoch ms): an operator override keyed `<providerId>/<model>` (or
 * a bare `<model>`) wins, then the catalog under the target's catalog provider. A target whose catalog provider is
 * unknown (a private OpenAI-compatible server) falls back to its kind, where the catalog infers the provider from
 * the model name.
 */
export function resolvePrice(source: PriceSource, target: PricedTarget, at: number): ModelPrice | undefined {
  const byId = source.lookup(target.providerId, target.model, at);
  if (byId) return byId;
  const catalog = target.catalogProvider ?? target.kind;
  return catalog === target.providerId ? undefined : source.lookup(catalog, target.model, at);
}

/** Exact cost in nano-USD of `usage` on `target` at `at`; undefined when no price is known (never a silent $0). */
export function costOf(
  source: PriceSource,
  target: PricedTarget,
  usage: Parameters<typeof computeCost>[0],
  at: number,
): ReturnType<typeof computeCost> | undefined {
  const price = resolvePrice(source, target, at);
  return price ? computeCost(usage, price) : undefined;
}

/** Kinds whose catalog provider is fixed (a custom base URL is still that provider's API). */
const KIND_CATALOG: Partial<Record<ProviderKind, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
};

/** Cloud kinds bill under their cloud's catalog provider, whatever the provider id or endpoint. */
const CLOUD_CATALOG: Partial<Record<ProviderKind, string>> = {
  'azure-openai': 'azure',
  bedrock: 'aws',
  vertex: 'google',
};

/**
 * Which catalog provider a configured provider bills like: the explicit `catalogProvider:` from config, else the
 * catalog provider its id names (`groq`, `deepseek`, `xai`, `together`, …), else the one whose API its base URL
 * points at (`https://api.groq.com/openai/v1`), else its kind's (`openai`, `anthropic`, `google`). Undefined for
 * an `openai-compatible` server the catalog does not know. Computed once per provider config, not per call.
 */
export function catalogProviderOf(
  providerId: string,
  p: { kind: ProviderKind; baseURL?: string; catalogProvider?: string },
): string | undefined {
  if (p.catalogProvider) return p.catalogProvider;
  const cloud = CLOUD_CATALOG[p.kind];
  if (cloud) return cloud;
  return catalogProviderFor({ id: providerId, ...(p.baseURL && { baseURL: p.baseURL }) }) ?? KIND_CATALOG[p.kind];
}
