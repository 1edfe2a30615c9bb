// Plain inputs and outputs of the framework-neutral request path, and the collaborators it is given.
import type { PriceSource, ProviderKind } from '@switchyard/core';
import type { ResponseCache } from '../cache/response-cache.js';
import type { GatewayConfig } from '../config/config-schema.js';
import type { PlanResolver } from '../config/plan-for.js';
import type { ChatCompletion, ChatCompletionRequest } from '../providers/openai-chat-types.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import type { Upstream } from '../upstream/upstream-client.js';
import type { CallMeta } from './call-meta.js';
import type { Cancellation } from './cancellation.js';
import type { ChatValue } from './chat-attempt.js';
import type { ResponsesStore } from './responses-store.js';
import type { Admission, GatewayObserver, GatewayRequest, RouteExecutor, RoutePlan } from './seams.js';

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface PipelineInput {
  /** Parsed JSON body (undefined for GET). */
  body: unknown;
  /** Lower-cased request headers. */
  headers: HeaderMap;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
  /** The same as `signal` without an AbortSignal (the HTTP shell gives both; `signal` then created on first read). */
  cancel?: Cancellation;
}

export type PipelineResponse =
  /**
   * `text`, when given, is `json` as JSON text already (sent as is instead of re-serialising `json`). `sent`, when
   * given, is for the writer to call once the response is written: the request finishes (settles) then, so the
   * client's bytes do not wait for it. It also runs by itself on the next macrotask, so a writer that never calls it
   * cannot lose a settlement.
   */
  | { status: number; headers: Record<string, string>; json: unknown; text?: string; sent?: () => void }
  | {
      status: number;
      headers: Record<string, string>;
      stream: AsyncIterable<string | Buffer>;
      /**
       * The stream's first bytes, ready now (a primed stream): the writer sends them with the headers and the
       * stream then starts after them. `undefined` when there are none ready; a reader that never calls it gets
       * them from `stream` as usual.
       */
      takeHead?(): string | undefined;
    };

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
  /** The exact response cache (absent: no caching). Outlives config reloads, as its contents must. */
  cache?: ResponseCache;
  log: PipelineLogger;
  /** Shadow traffic (compare/shadow): mirrors sampled chat requests of routes with a `shadow:` option. */
  shadow?: ShadowHook;
  /** Conversations behind /v1/responses `previous_response_id` (kept across config reloads). */
  responsesStore: ResponsesStore;
  /** Injected for tests. */
  now(): number;
  newId(): string;
}

/** A committed chat response of a mirrored request: the hook learns the primary's outcome through it. */
export interface ShadowTap {
  json(completion: ChatCompletion, meta: CallMeta): void;
  /** Returns the same stream, observed: the tap reads the text as it passes and hears when it ends. */
  stream(value: Extract<ChatValue, { kind: 'stream' }>): Extract<ChatValue, { kind: 'stream' }>;
}

/** Decides per committed chat response whether to mirror it. Never throws; all shadow work is off the path. */
export interface ShadowHook {
  begin(plan: RoutePlan, body: ChatCompletionRequest, req: GatewayRequest, deps: PipelineDeps): ShadowTap | undefined;
}
