// The cache key: a SHA-256 over the namespace, the endpoint, the resolved route (its name and every target with
// its params, so editing a route's targets never serves the old targets' answers) and the request body in a
// canonical form — object keys sorted, fields that only steer transport or label the caller left out.
import { createHash } from 'node:crypto';
import type { Endpoint, RoutePlan, Tenant } from '../pipeline/seams.js';

/**
 * Body fields that do not change the answer, per endpoint. `stream` / `stream_options` are transport (a stream
 * and a non-stream request share one entry: either replays both ways); `user`, `metadata`, `safety_identifier`
 * and `prompt_cache_key` label the caller or steer the provider's own prompt cache. Everything else counts.
 */
export const IGNORED_FIELDS: Readonly<Record<Endpoint, ReadonlySet<string>>> = {
  chat: new Set(['stream', 'stream_options', 'user', 'metadata', 'safety_identifier', 'prompt_cache_key']),
  messages: new Set(['stream', 'metadata']),
  embeddings: new Set(['user']),
  responses: new Set(['stream', 'stream_options', 'user', 'metadata', 'safety_identifier', 'prompt_cache_key']),
};

/** JSON with object keys in code-point order at every depth; array order kept. */
export function canonicalJson(value: unknown, ignore?: ReadonlySet<string>): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined || ignore?.has(k)) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
}

const fingerprints = new WeakMap<RoutePlan, string>();

/** The route as the cache sees it: its name and its targets with their params (memoised per compiled plan). */
export function planFingerprint(plan: RoutePlan): string {
  let fp = fingerprints.get(plan);
  if (fp === undefined) {
    fp = canonicalJson({ name: plan.name, targets: plan.targets.map((t) => ({ id: t.id, params: t.params })) });
    fingerprints.set(plan, fp);
  }
  return fp;
}

/** Whose entries a request may see: the team's, else the key's; one shared space without keys (demo mode). */
export function namespaceOf(tenant: Tenant, shared?: string): string {
  if (shared !== undefined) return `shared:${shared}`;
  if (tenant.teamId !== undefined) return `team:${tenant.teamId}`;
  if (tenant.keyId !== undefined) return `key:${tenant.keyId}`;
  return 'anonymous';
}

const VERSION = 'v1';

export function cacheKey(namespace: string, endpoint: Endpoint, plan: RoutePlan, body: object): string {
  return createHash('sha256')
    .update(`${VERSION}\n${namespace}\n${endpoint}\n${planFingerprint(plan)}\n`)
    .update(canonicalJson(body, IGNORED_FIELDS[endpoint]))
    .digest('hex');
}

/**
 * `deterministic` mode caches only what should give the same answer twice: embeddings, and generations at
 * `temperature: 0` or with a `seed`.
 */
export function isDeterministic(endpoint: Endpoint, body: Record<string, unknown>): boolean {
  if (endpoint === 'embeddings') return true;
  if (body.temperature === 0) return true;
  return endpoint === 'chat' && typeof body.seed === 'number';
}
