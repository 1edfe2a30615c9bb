// Assembles the pipeline's collaborators from a config, with defaults for anything not supplied.
import type { PriceSource, ProviderKind } from '@switchyard/core';
import type { ResponseCache } from '../cache/response-cache.js';
import type { GatewayConfig } from '../config/config-schema.js';
import { createPlanResolver } from '../config/plan-for.js';
import { priceSourceFor } from '../config/price-source-for.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import { adapterFor } from '../providers/registry.js';
import { createRouteExecutor, type RouteExecutorOptions } from '../routing/index.js';
import { createUpstreamClient, type Upstream } from '../upstream/upstream-client.js';
import { noopObserver, openAdmission } from './default-seams.js';
import type { PipelineDeps, PipelineLogger, ShadowHook } from './pipeline-types.js';
import { requestIdV7 } from './request-ids.js';
import { createMemoryResponsesStore, type ResponsesStore } from './responses-store.js';
import type { Admission, GatewayObserver, RouteExecutor } from './seams.js';

export { priceSourceFor };

export interface PipelineOptions {
  executor?: RouteExecutor;
  admission?: Admission;
  observer?: GatewayObserver;
  upstream?: Upstream;
  adapterFor?: (kind: ProviderKind) => ProviderAdapter | undefined;
  priceSource?: PriceSource;
  cache?: ResponseCache;
  log?: PipelineLogger;
  shadow?: ShadowHook;
  responsesStore?: ResponsesStore;
  now?: () => number;
  newId?: () => string;
}

export const defaultAdapterFor = (kind: ProviderKind): ProviderAdapter | undefined => {
  try {
    return adapterFor(kind);
  } catch {
    return undefined;
  }
};

const consoleLog: PipelineLogger = {
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

/** A PriceSource whose prices can be replaced (config hot reload) while every holder keeps the same object. */
export interface SwappablePriceSource extends PriceSource {
  set(next: PriceSource): void;
}

export function swappablePriceSource(initial: PriceSource): SwappablePriceSource {
  let current = initial;
  return {
    lookup: (provider, model, at) => current.lookup(provider, model, at),
    set(next) {
      current = next;
    },
  };
}

const defined = <T extends object>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The config's `routing:` section (breaker, latency, attempt cap) as route executor options. */
export function routeExecutorOptionsFor(config: GatewayConfig): RouteExecutorOptions {
  const r = config.routing;
  return {
    ...(r?.breaker && { breaker: defined(r.breaker) }),
    ...(r?.latency && { latency: defined(r.latency) }),
    ...(r?.attemptCap !== undefined && { attemptCap: r.attemptCap }),
  };
}

export function createPipelineDeps(config: GatewayConfig, options: PipelineOptions = {}): PipelineDeps {
  const priceSource = options.priceSource ?? priceSourceFor(config);
  return {
    config,
    resolvePlan: createPlanResolver(config, priceSource),
    // `cheapest` must see the same prices (operator overrides first) as the pipeline's cost.
    executor: options.executor ?? createRouteExecutor({ ...routeExecutorOptionsFor(config), priceSource }),
    admission: options.admission ?? openAdmission,
    observer: options.observer ?? noopObserver,
    upstream: options.upstream ?? createUpstreamClient(),
    adapterFor: options.adapterFor ?? defaultAdapterFor,
    priceSource,
    ...(options.cache && { cache: options.cache }),
    log: options.log ?? consoleLog,
    ...(options.shadow && { shadow: options.shadow }),
    responsesStore: options.responsesStore ?? createMemoryResponsesStore(options.now),
    now: options.now ?? Date.now,
    newId: options.newId ?? (() => requestIdV7()),
  };
}
