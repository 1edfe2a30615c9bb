// The contract every provider folder implements. Pure functions only: no I/O, no clock, no config lookups.
// The request path (routing/attempt loop) does the I/O with undici and calls these to translate.
import type { ErrorInfo, ProviderKind, Usage } from '@switchyard/core';
import type { UpstreamResponse } from '../upstream/upstream-client.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  EmbeddingsRequest,
  EmbeddingsResponse,
} from './openai-chat-types.js';

/** Cloud facts resolved from config once (Azure deployment, Bedrock region, Vertex project and location). */
export interface CloudTarget {
  /** Azure OpenAI: the deployment serving this model, and the `api-version` query value. */
  deployment?: string;
  apiVersion?: string;
  /** Azure OpenAI: a Microsoft Entra ID bearer token (used instead of `api-key`). */
  adToken?: string;
  /** Amazon Bedrock region (signing scope). */
  region?: string;
  /** Vertex AI project and location (URL path). */
  project?: string;
  location?: string;
}

/**
 * The I/O half of a cloud provider: adds credentials that need a clock or a network round trip (SigV4
 * signatures, OAuth access tokens) just before the request leaves, and re-frames a body the translators cannot
 * read as SSE (Bedrock's binary event stream). Built once per provider config; the pure adapter only hands it on.
 */
export interface ProviderTransport {
  prepare(spec: HttpRequestSpec): Promise<HttpRequestSpec>;
  frame?(res: UpstreamResponse): UpstreamResponse;
}

/** Where one attempt goes: resolved from config by routing. `baseURL` follows each official SDK's convention. */
export interface UpstreamTarget {
  providerId: string;
  kind: ProviderKind;
  baseURL: string;
  apiKey?: string;
  model: string;
  /** Extra static headers from config (never the client's Authorization). */
  headers?: Record<string, string>;
  /** Request parameter overrides for this target (e.g. `{ temperature: 0 }`), merged over the client's. */
  params?: Record<string, unknown>;
  cloud?: CloudTarget;
  transport?: ProviderTransport;
  /** The price catalog's provider this target bills like (`groq`, `openai`, …); see pricing/resolve-price.ts. */
  catalogProvider?: string;
}

export interface HttpRequestSpec {
  method: 'POST' | 'GET';
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Signs / authorizes the request and re-frames its response (cloud providers). */
  transport?: ProviderTransport;
}

export interface Translated<T> {
  value: T;
  /** Human-readable notes about parameters that were dropped or adjusted (documented rules). */
  warnings: string[];
}

/** One parsed server-sent event from upstream: `event:` name (if any) and the joined `data:` lines. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Fields the response translators need that are not in the provider body (ids, clock values passed in). */
export interface ResponseContext {
  /** The model name to report to the client (the requested name). */
  model: string;
  /** Completion id to use when the provider gives none. */
  id: string;
  /** unix seconds */
  created: number;
}

export interface ChatStreamTranslator {
  /** Feed one upstream SSE event; returns the OpenAI chunks to send now (possibly none). */
  push(event: SseEvent): ChatCompletionChunk[];
  /** Upstream body ended; returns trailing chunks (finish chunk, usage chunk when asked for). */
  end(): ChatCompletionChunk[];
  /** Usage seen so far (last one wins), normalized by core. */
  usage(): Usage | undefined;
  /** Set when the provider sent an in-stream error event (e.g. Anthropic `event: error` after HTTP 200). */
  error(): ErrorInfo | undefined;
  /** Finish reasons seen, in OpenAI terms. */
  finishReasons(): string[];
}

export interface ProviderAdapter {
  kind: ProviderKind;
  chatRequest(req: ChatCompletionRequest, target: UpstreamTarget): Translated<HttpRequestSpec>;
  chatResponse(body: unknown, ctx: ResponseContext): Translated<ChatCompletion> & { usage?: Usage };
  /** `includeUsage`: emit the OpenAI usage chunk before the end (client asked `stream_options.include_usage`). */
  chatStream(ctx: ResponseContext & { includeUsage: boolean }): ChatStreamTranslator;
  embeddingsRequest?(req: EmbeddingsRequest, target: UpstreamTarget): Translated<HttpRequestSpec>;
  /** `encodingFormat`: what the client asked for (openai-node asks `base64` by default); providers return floats. */
  embeddingsResponse?(
    body: unknown,
    ctx: ResponseContext & { encodingFormat?: 'float' | 'base64' },
  ): Translated<EmbeddingsResponse> & { usage?: Usage };
  /** Upstream non-2xx → classified error (delegates to core's per-provider tables). */
  classifyHttpError(status: number, body: unknown, headers: Record<string, string | string[] | undefined>): ErrorInfo;
}
