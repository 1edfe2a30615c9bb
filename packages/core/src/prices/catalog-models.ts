// The model ids the bundled price catalog knows per provider kind: the gateway uses them to tell a mistyped model
// (404 naming close matches) from a real one. Read once per provider from the snapshot; never the network.
import { findProvider } from '@pydantic/genai-prices';

/** Our provider kinds → the catalog's provider ids (openai-compatible has none: any server, any model). */
const CATALOG_PROVIDER: Record<string, string | undefined> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
};

const cache = new Map<string, readonly string[]>();

/** Current (non-deprecated) catalog model ids for a provider kind; empty for kinds without a catalog. */
export function catalogModelIds(kind: string): readonly string[] {
  const hit = cache.get(kind);
  if (hit) return hit;
  const providerId = CATALOG_PROVIDER[kind];
  let ids: string[] = [];
  try {
    const provider = providerId ? findProvider({ providerId }) : undefined;
    ids = (provider?.models ?? []).filter((m) => !m.deprecated).map((m) => m.id);
  } catch {
    ids = []; // a catalog without this provider: nothing to suggest
  }
  cache.set(kind, ids);
  return ids;
}

/** Whether the catalog has a provider for this kind at all (then it is the authority on which models exist). */
export function hasCatalog(kind: string): boolean {
  return CATALOG_PROVIDER[kind] !== undefined;
}
