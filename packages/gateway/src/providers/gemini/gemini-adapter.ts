// The Gemini ProviderAdapter: `baseURL` is the origin (as @google/genai takes it); we add /v1beta/models/….
import { classifyHttpError } from '@switchyard/core';
import type { HttpRequestSpec, ProviderAdapter, UpstreamTarget } from '../provider-adapter.js';
import { trimSlash, withTargetParams } from '../translate-common.js';
import { fromGeminiResponse } from './from-gemini-response.js';
import { fromGeminiStream } from './from-gemini-stream.js';
import { fromGeminiEmbeddings, toGeminiEmbeddings } from './gemini-embeddings.js';
import { toGeminiRequest } from './to-gemini-request.js';

function modelUrl(target: UpstreamTarget, method: string): string {
  const model = target.model.startsWith('models/') ? target.model.slice(7) : target.model;
  // Encoded: a client-chosen model name must never add path segments (`../`), a query or a fragment to the URL.
  return `${trimSlash(target.baseURL)}/v1beta/models/${encodeURIComponent(model)}:${method}`;
}

function spec(target: UpstreamTarget, url: string, body: unknown): HttpRequestSpec {
  const headers: Record<string, string> = { ...target.headers, 'content-type': 'application/json' };
  if (target.apiKey) headers['x-goog-api-key'] = target.apiKey;
  return { method: 'POST', url, headers, body: JSON.stringify(body) };
}

export const geminiAdapter: ProviderAdapter = {
  kind: 'gemini',
  chatRequest(req, target) {
    const merged = withTargetParams(req, target);
    const { value, warnings } = toGeminiRequest(merged, target.model);
    const url = merged.stream ? modelUrl(target, 'streamGenerateContent?alt=sse') : modelUrl(target, 'generateContent');
    return { value: spec(target, url, value), warnings };
  },
  chatResponse: fromGeminiResponse,
  chatStream: fromGeminiStream,
  embeddingsRequest(req, target) {
    const { value, warnings } = toGeminiEmbeddings(req, target.model);
    return { value: spec(target, modelUrl(target, value.method), value.body), warnings };
  },
  embeddingsResponse: fromGeminiEmbeddings,
  classifyHttpError: (status, body, headers) => classifyHttpError('gemini', status, body, headers),
};
