// The Azure OpenAI ProviderAdapter. `baseURL` is the AzureOpenAI SDK's (`https://{resource}.openai.azure.com/openai`);
// the deployment and `api-version` come from config. Same body format as OpenAI, so the OpenAI translators do the
// work; Azure's content-filter annotations (`prompt_filter_results`, `content_filter_results`) pass through.
import { classifyHttpError } from '@switchyard/core';
import { fromOpenAIResponse } from '../openai/from-openai-response.js';
import { openaiAdapter } from '../openai/openai-adapter.js';
import { OPENAI_PROFILE } from '../openai/openai-compatible.js';
import { toOpenAIRequest } from '../openai/to-openai-request.js';
import type { HttpRequestSpec, ProviderAdapter, UpstreamTarget } from '../provider-adapter.js';
import { trimSlash, withTargetParams } from '../translate-common.js';
import { fromAzureStream } from './from-azure-stream.js';

/** The newest GA data-plane version with tools, `stream_options` and `max_completion_tokens`. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

const AZURE_PROFILE = { ...OPENAI_PROFILE, name: 'Azure OpenAI', hosts: [] };

function azureSpec(target: UpstreamTarget, operation: string, body: unknown, stream: boolean): HttpRequestSpec {
  const deployment = target.cloud?.deployment ?? target.model;
  const apiVersion = target.cloud?.apiVersion ?? AZURE_DEFAULT_API_VERSION;
  const headers: Record<string, string> = { ...target.headers, 'content-type': 'application/json' };
  if (target.cloud?.adToken) headers.authorization = `Bearer ${target.cloud.adToken}`;
  else if (target.apiKey) headers['api-key'] = target.apiKey;
  if (stream) headers.accept = 'text/event-stream';
  // Encoded: a client-chosen model (used as the deployment when unmapped) must never add path segments.
  const url = `${trimSlash(target.baseURL)}/deployments/${encodeURIComponent(deployment)}/${operation}?api-version=${encodeURIComponent(apiVersion)}`;
  return { method: 'POST', url, headers, body: JSON.stringify(body) };
}

export const azureOpenAIAdapter: ProviderAdapter = {
  kind: 'azure-openai',
  chatRequest(req, target) {
    const { value, warnings } = toOpenAIRequest(withTargetParams(req, target), target.model, AZURE_PROFILE);
    return { value: azureSpec(target, 'chat/completions', value, value.stream === true), warnings };
  },
  chatResponse: fromOpenAIResponse,
  chatStream: fromAzureStream,
  embeddingsRequest(req, target) {
    const body = { ...req, ...target.params, model: target.model };
    return { value: azureSpec(target, 'embeddings', body, false), warnings: [] };
  },
  embeddingsResponse: (body, ctx) => openaiAdapter.embeddingsResponse!(body, ctx),
  classifyHttpError: (status, body, headers) => classifyHttpError('azure-openai', status, body, headers),
};
