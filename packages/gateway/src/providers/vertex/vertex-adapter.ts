// The Vertex AI ProviderAdapter: Gemini models through `publishers/google/models/{m}:generateContent` (the Gemini
// translators) and Claude models through `publishers/anthropic/models/{m}:rawPredict` (the Anthropic translators,
// `anthropic_version: vertex-2023-10-16`, the model in the URL, not the body). `baseURL` is the regional origin
// (`https://{location}-aiplatform.googleapis.com`, or `https://aiplatform.googleapis.com` for `global`).
import { classifyHttpError } from '@switchyard/core';
import { fromAnthropicResponse } from '../anthropic/from-anthropic-response.js';
import { fromAnthropicStream } from '../anthropic/from-anthropic-stream.js';
import { toAnthropicRequest } from '../anthropic/to-anthropic-request.js';
import { fromGeminiResponse } from '../gemini/from-gemini-response.js';
import { fromGeminiStream } from '../gemini/from-gemini-stream.js';
import { toGeminiRequest } from '../gemini/to-gemini-request.js';
import type { ChatStreamTranslator, HttpRequestSpec, ProviderAdapter, UpstreamTarget } from '../provider-adapter.js';
import { trimSlash, withTargetParams } from '../translate-common.js';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

/** Claude models on Vertex are published by Anthropic; everything else here is Google's (Gemini). */
export const isVertexClaude = (model: string) => /^claude-/.test(model);

export function vertexModelUrl(target: UpstreamTarget, publisher: string, method: string): string {
  const project = encodeURIComponent(target.cloud?.project ?? '');
  const location = encodeURIComponent(target.cloud?.location ?? 'us-central1');
  // Encoded so a model name never adds path segments; `@` (Claude version pins) stays as Vertex writes it.
  const model = encodeURIComponent(target.model).replace(/%40/g, '@');
  return `${trimSlash(target.baseURL)}/v1/projects/${project}/locations/${location}/publishers/${publisher}/models/${model}:${method}`;
}

function spec(target: UpstreamTarget, url: string, body: unknown, stream: boolean): HttpRequestSpec {
  const headers: Record<string, string> = { ...target.headers, 'content-type': 'application/json' };
  if (target.apiKey) headers['x-goog-api-key'] = target.apiKey;
  if (stream) headers.accept = 'text/event-stream';
  const out: HttpRequestSpec = { method: 'POST', url, headers, body: JSON.stringify(body) };
  if (target.transport) out.transport = target.transport;
  return out;
}

/** Claude's streamRawPredict sends named Anthropic events; Gemini's SSE has no event names. */
function vertexStream(ctx: Parameters<ProviderAdapter['chatStream']>[0]): ChatStreamTranslator {
  let inner: ChatStreamTranslator | undefined;
  const pick = (named: boolean) => {
    inner ??= named ? fromAnthropicStream(ctx) : fromGeminiStream(ctx);
    return inner;
  };
  return {
    push: (event) => pick(event.event !== undefined).push(event),
    end: () => pick(false).end(),
    usage: () => inner?.usage(),
    error: () => inner?.error(),
    finishReasons: () => inner?.finishReasons() ?? [],
  };
}

export const vertexAdapter: ProviderAdapter = {
  kind: 'vertex',
  chatRequest(req, target) {
    const merged = withTargetParams(req, target);
    const stream = merged.stream === true;
    if (isVertexClaude(target.model)) {
      const { value, warnings } = toAnthropicRequest(merged, target.model);
      const { model: _model, ...rest } = value as unknown as { model?: string } & Record<string, unknown>;
      const body = { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest };
      const url = vertexModelUrl(target, 'anthropic', stream ? 'streamRawPredict' : 'rawPredict');
      return { value: spec(target, url, body, stream), warnings };
    }
    const { value, warnings } = toGeminiRequest(merged, target.model);
    const url = vertexModelUrl(target, 'google', stream ? 'streamGenerateContent?alt=sse' : 'generateContent');
    return { value: spec(target, url, value, stream), warnings };
  },
  chatResponse(body, ctx) {
    // Claude answers with an Anthropic message (`content` blocks); Gemini with `candidates` / `promptFeedback`.
    const o = (typeof body === 'object' && body !== null ? body : {}) as { type?: unknown; content?: unknown };
    const anthropic = o.type === 'message' || Array.isArray(o.content);
    return anthropic ? fromAnthropicResponse(body, ctx) : fromGeminiResponse(body, ctx);
  },
  chatStream: vertexStream,
  classifyHttpError: (status, body, headers) => classifyHttpError('vertex', status, body, headers),
};
