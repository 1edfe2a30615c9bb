// Plain inputs and outputs of the framework-neutral request path, and the collaborators it is given.
import type { PriceSource, ProviderKind } from '@switchyard/core';
import type { GatewayConfig } from '../config/config-schema.js';
import type { PlanResolver } from '../config/plan-for.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import type { Upstream } from '../upstream/upstream-client.js';
import type { ResponsesStore } from './responses-store.js';
import type { Admission, GatewayObserver, RouteExecutor } from './seams.js';

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface PipelineInput {
  /** Parsed JSON body (undefined for GET). */
  body: unknown;
  /** Lower-cased request headers. */
  headers: HeaderMap;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
}

export type PipelineResponse =
  | { status: number; headers: Record<string, string>; json: unknown }
  | { status: number; headers: Record<string, string>; stream: AsyncIterable<string | Buffer> };

export interface PipelineLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface PipelineDeps {
  config: GatewayConfig;
  resolvePlan: PlanResolver;
  executor: RouteExecutor;
  admission: Admission;
  observer: GatewayObserver;
  upstream: Upstream;
  adapterFor(kind: ProviderKind): ProviderAdapter | undefined;
  priceSource: PriceSource;
  log: PipelineLogger;
  /** Conversations behind /v1/responses `previous_response_id` (kept across config reloads). */
  responsesStore: ResponsesStore;
  /** Injected for tests. */
  now(): number;
  newId(): string;
}
