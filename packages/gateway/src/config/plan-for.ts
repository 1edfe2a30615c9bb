// Model name → RoutePlan. Aliases are compiled once per config (no per-request setup); `<providerId>/<model>`
// plans are cheap to build on the fly. An unknown model is a 404 `model_not_found` naming nothing secret.
import type { PriceSource, ProviderKind } from '@switchyard/core';
import { GatewayError, type RetryPolicy, type RoutePlan, type RouteTarget } from '../pipeline/seams.js';
import { catalogProviderOf } from '../pricing/resolve-price.js';
import { cloudBaseURL, cloudTargetFields, isCloudKind } from './cloud-targets.js';
import type { GatewayConfig, ProviderConfig, RouteConfig } from './config-schema.js';
import { createModelDirectory, type ModelDirectory } from './model-directory.js';
import { priceSourceFor } from './price-source-for.js';

/** Each official SDK's default base URL (OpenAI-style includes `/v1`; Anthropic and Gemini are origins). */
export const DEFAULT_BASE_URLS: Record<ProviderKind, string> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
  'openai-compatible': '',
  // Cloud kinds: derived from resource / region / location (cloud-targets.ts).
  'azure-openai': '',
  bedrock: '',
  vertex: '',
};

export const DEFAULT_TIMEOUTS: RoutePlan['timeouts'] = { connectMs: 5_000, firstByteMs: 120_000, totalMs: 600_000 };
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 2_000 };

type Partial3 = Partial<RoutePlan['timeouts']> | undefined;
const mergeTimeouts = (...layers: Partial3[]): RoutePlan['timeouts'] => {
  const out = { ...DEFAULT_TIMEOUTS };
  for (const l of layers) if (l) Object.assign(out, stripUndefined(l));
  return out;
};
const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export function modelNotFound(model: string, config: GatewayConfig, directory?: ModelDirectory): GatewayError {
  const hint = Object.keys(config.routes).length
    ? `a route alias (${Object.keys(config.routes).join(', ')}) or "<provider>/<model>"`
    : `"<provider>/<model>" with a provider of ${Object.keys(config.providers).join(', ') || '(none configured)'}`;
  const slash = model.indexOf('/');
  const providerId = slash > 0 ? model.slice(0, slash) : '';
  const what =
    providerId in config.providers && slash < model.length - 1
      ? `The model \`${model.slice(slash + 1)}\` is not known for provider \`${providerId}\`.`
      : `The model \`${model}\` does not exist.`;
  const close = directory?.suggest(model) ?? [];
  const mean = close.length ? ` Did you mean ${close.map((c) => `\`${c}\``).join(', ')}?` : '';
  return new GatewayError(404, 'invalid_request_error', 'model_not_found', `${what}${mean} Use ${hint}.`, {}, 'model');
}

/** Catalog provider per provider config, computed once (the catalog's URL patterns are regexes). */
const catalogProviders = new WeakMap<ProviderConfig, string | null>();
function catalogProviderFor(providerId: string, provider: ProviderConfig): string | undefined {
  let cat = catalogProviders.get(provider);
  if (cat === undefined) {
    cat = catalogProviderOf(providerId, provider) ?? null;
    catalogProviders.set(provider, cat);
  }
  return cat ?? undefined;
}

function toTarget(ref: string, config: GatewayConfig, extra?: { weight?: number; params?: Record<string, unknown> }) {
  const slash = ref.indexOf('/');
  const providerId = ref.slice(0, slash);
  const model = ref.slice(slash + 1);
  // Own keys only: a client-chosen `constructor/x` or `__proto__/x` must not reach Object.prototype.
  const provider: ProviderConfig | undefined = Object.hasOwn(config.providers, providerId)
    ? config.providers[providerId]
    : undefined;
  if (!provider || !model) return undefined;
  const target: RouteTarget = {
    id: `${providerId}/${model}`,
    providerId,
    kind: provider.kind,
    baseURL: (provider.baseURL ?? (DEFAULT_BASE_URLS[provider.kind] || cloudBaseURL(provider))).replace(/\/+$/, ''),
    model,
  };
  if (isCloudKind(provider.kind)) Object.assign(target, cloudTargetFields(provider, model));
  const catalogProvider = catalogProviderFor(providerId, provider);
  if (catalogProvider) target.catalogProvider = catalogProvider;
  if (provider.apiKey !== undefined) target.apiKey = provider.apiKey;
  if (provider.headers) target.headers = provider.headers;
  if (extra?.weight !== undefined) target.weight = extra.weight;
  if (extra?.params) target.params = extra.params;
  return target;
}

function routePlan(name: string, route: RouteConfig, config: GatewayConfig): RoutePlan {
  const targets = route.targets.map((t) => {
    const target = typeof t === 'string' ? toTarget(t, config) : toTarget(t.target, config, t);
    if (!target) throw new Error(`route ${name}: unresolvable target`); // schema already checked providers
    return target;
  });
  const firstProvider = config.providers[targets[0]?.providerId ?? ''];
  const plan: RoutePlan = {
    name,
    strategy: route.strategy === 'hedge' ? 'fallback' : route.strategy,
    targets,
    retry: { ...DEFAULT_RETRY, ...stripUndefined(config.retry), ...stripUndefined(route.retry ?? {}) },
    fallbackOn: route.fallbackOn ?? [],
    timeouts: mergeTimeouts(config.timeouts, firstProvider?.timeouts, route.timeouts),
  };
  if (route.hedge) plan.hedge = stripUndefined(route.hedge);
  else if (route.strategy === 'hedge') plan.hedge = { afterPercentile: 95 };
  return plan;
}

export type PlanResolver = (model: string) => RoutePlan;

/**
 * Compiles the config's aliases once and returns the resolver the pipeline calls per request. `prices` (the same
 * source the pipeline prices with) tells known models from typos: see model-directory.ts.
 */
const MAX_DIRECT_PLANS = 1024;

export function createPlanResolver(config: GatewayConfig, prices: PriceSource = priceSourceFor(config)): PlanResolver {
  const directory = createModelDirectory(config, prices);
  const aliases = new Map<string, RoutePlan>();
  for (const [name, route] of Object.entries(config.routes)) aliases.set(name, routePlan(name, route, config));
  // A `<providerId>/<model>` plan differs from another of the same provider only in its target: the retry policy
  // and timeouts are merged once here, not per request (plans are read-only, as alias plans already are shared).
  const directRetry: RetryPolicy = { ...DEFAULT_RETRY, ...stripUndefined(config.retry) };
  const directTimeouts = new Map(
    Object.entries(config.providers).map(([id, p]) => [id, mergeTimeouts(config.timeouts, p.timeouts)]),
  );
  // Accepted direct plans, kept per model name: the resolver lives as long as its config and price source, which
  // alone decide acceptance. Bounded (the name is the client's): past the bound a plan is built and not kept.
  const direct = new Map<string, RoutePlan>();
  return (model) => {
    const known = aliases.get(model) ?? direct.get(model);
    if (known) return known;
    const target = model.includes('/') ? toTarget(model, config) : undefined;
    if (!target || !directory.accepts(target.providerId, target.model)) throw modelNotFound(model, config, directory);
    const plan: RoutePlan = {
      name: target.id,
      strategy: 'single',
      targets: [target],
      retry: directRetry,
      fallbackOn: [],
      timeouts:
        directTimeouts.get(target.providerId) ??
        mergeTimeouts(config.timeouts, config.providers[target.providerId]?.timeouts),
    };
    if (direct.size < MAX_DIRECT_PLANS) direct.set(model, plan);
    return plan;
  };
}

/** One-off resolution (tests, CLI); the pipeline keeps a compiled resolver instead. */
export function planFor(model: string, config: GatewayConfig): RoutePlan {
  return createPlanResolver(config)(model);
}
