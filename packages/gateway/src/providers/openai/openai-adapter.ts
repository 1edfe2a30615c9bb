// The OpenAI and OpenAI-compatible ProviderAdapters: `baseURL` includes the version path (`…/v1`), as the
// official SDK takes it; we add /chat/completions and /embeddings. Same format, so the body passes through.
import { classifyHttpError, openaiUsage } from '@switchyard/core';
import type { EmbeddingsResponse } from '../openai-chat-types.js';
import type { HttpRequestSpec, ProviderAdapter, UpstreamTarget } from '../provider-adapter.js';
import { invalidResponse, trimSlash, withTargetParams } from '../translate-common.js';
import { fromOpenAIResponse } from './from-openai-response.js';
import { fromOpenAIStream } from './from-openai-stream.js';
import { compatProfileFor, OPENAI_PROFILE } from './openai-compatible.js';
import { openaiEmbeddingsWire } from './openai-wire.js';
import { toOpenAIRequest } from './to-openai-request.js';

function spec(target: UpstreamTarget, path: string, body: unknown, stream = false): HttpRequestSpec {
  const headers: Record<string, string> = { ...target.headers, 'content-type': 'application/json' };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  if (stream) headers.accept = 'text/event-stream';
  return { method: 'POST', url: `${trimSlash(target.baseURL)}${path}`, headers, body: JSON.stringify(body) };
}

function createOpenAIAdapter(kind: 'openai' | 'openai-compatible'): ProviderAdapter {
  const profileOf = (t: UpstreamTarget) => (kind === 'openai' ? OPENAI_PROFILE : compatProfileFor(t));
  return {
    kind,
    chatRequest(req, target) {
      const { value, warnings } = toOpenAIRequest(withTargetParams(req, target), target.model, profileOf(target));
      return { value: spec(target, '/chat/completions', value, value.stream === true), warnings };
    },
    chatResponse: fromOpenAIResponse,
    chatStream: fromOpenAIStream,
    embeddingsRequest(req, target) {
      const body = { ...req, ...target.params, model: target.model };
      return { value: spec(target, '/embeddings', body), warnings: [] };
    },
    embeddingsResponse(body, ctx) {
      const parsed = openaiEmbeddingsWire.safeParse(body);
      if (!parsed.success) invalidResponse(kind, 'bad embeddings body');
      const usage = openaiUsage(parsed.data.usage);
      const value = { ...parsed.data, object: 'list', model: ctx.model } as EmbeddingsResponse;
      return { value, warnings: [], ...(usage && { usage }) };
    },
    classifyHttpError: (status, body, headers) => classifyHttpError(kind, status, body, headers),
  };
}

export const openaiAdapter = createOpenAIAdapter('openai');
export const openaiCompatibleAdapter = createOpenAIAdapter('openai-compatible');
