// Which `<providerId>/<model>` names exist, so a mistyped model is a 404 `model_not_found` naming close matches
// instead of being forwarded (or refused as 402 `price_unknown`). The rule, per provider:
//   - with a `models:` list: the list, plus models with a configured price, plus route targets, plus (for the
//     openai / anthropic / gemini kinds) every model the price catalog knows;
//   - an openai / anthropic / gemini kind at its official URL without a list: the price catalog (plus prices and
//     route targets) — the catalog is the authority on which models exist there;
//   - anything else (openai-compatible, or a kind pointed at another server, without a list): forwarded as named;
//     the operator did not say what that server serves, so only the server can answer.
// Model type (chat or embedding) is read from the name, as every provider names embedding models (`*embed*`).
import { catalogModelIds, hasCatalog, type PriceSource } from '@switchyard/core';
import type { GatewayConfig, ProviderConfig } from './config-schema.js';
import { closeMatches } from './suggest.js';

export type ModelType = 'chat' | 'embedding';

/**
 * Real models the price catalog has no entry for, which clients still name: accepted (and then priced as unknown,
 * flagged), so a catalog gap is never a 404. Only what our endpoints serve (chat, messages, embeddings).
 */
const UNPRICED_KNOWN: Record<string, readonly string[]> = {
  gemini: ['text-embedding-004', 'embedding-001', 'gemini-embedding-exp-03-07'],
};

export function modelType(model: string): ModelType {
  return /embed/i.test(model) ? 'embedding' : 'chat';
}

export interface ModelDirectory {
  /** Whether a request may name `<providerId>/<model>` (the provider exists). */
  accepts(providerId: string, model: string): boolean;
  /** Close matches among aliases, listed models and catalog models, best first. */
  suggest(name: string): string[];
}

const OFFICIAL_URLS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
};

/** Whether requests to this provider are checked against known models (see the rule above). */
export function checksModels(p: ProviderConfig): boolean {
  if (p.models !== undefined) return true;
  if (!hasCatalog(p.kind)) return false;
  return p.baseURL === undefined || p.baseURL.replace(/\/+$/, '') === OFFICIAL_URLS[p.kind];
}

export function createModelDirectory(config: GatewayConfig, prices: PriceSource): ModelDirectory {
  const listed = new Set<string>();
  for (const [id, p] of Object.entries(config.providers)) for (const m of p.models ?? []) listed.add(`${id}/${m}`);
  for (const route of Object.values(config.routes)) {
    for (const t of route.targets) listed.add(typeof t === 'string' ? t : t.target);
  }
  const checked = new Set(
    Object.entries(config.providers)
      .filter(([, p]) => checksModels(p))
      .map(([id]) => id),
  );
  let candidates: string[] | undefined; // built on the first 404 only

  return {
    accepts(providerId, model) {
      const p = config.providers[providerId];
      if (!p) return false;
      if (!checked.has(providerId) || listed.has(`${providerId}/${model}`)) return true;
      if (prices.lookup(providerId, model) || UNPRICED_KNOWN[p.kind]?.includes(model)) return true;
      return hasCatalog(p.kind) && prices.lookup(p.kind, model) !== undefined;
    },
    suggest(name) {
      candidates ??= [
        ...Object.keys(config.routes),
        ...listed,
        ...Object.entries(config.providers).flatMap(([id, p]) =>
          [...catalogModelIds(p.kind), ...(UNPRICED_KNOWN[p.kind] ?? [])].map((m) => `${id}/${m}`),
        ),
      ];
      return closeMatches(name, candidates);
    },
  };
}
