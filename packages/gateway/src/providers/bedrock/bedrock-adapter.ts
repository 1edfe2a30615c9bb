// The Amazon Bedrock ProviderAdapter (Converse / ConverseStream). `baseURL` is the runtime endpoint
// (`https://bedrock-runtime.{region}.amazonaws.com`); the model id (or inference profile id / ARN) is a path
// segment. Signing is the transport's job; an `apiKey` (Bedrock API key) is sent as a bearer token instead.
import { classifyHttpError } from '@switchyard/core';
import type { HttpRequestSpec, ProviderAdapter, UpstreamTarget } from '../provider-adapter.js';
import { trimSlash, withTargetParams } from '../translate-common.js';
import { fromConverseResponse } from './from-converse-response.js';
import { fromConverseStream } from './from-converse-stream.js';
import { toConverseRequest } from './to-converse-request.js';

export function converseUrl(target: UpstreamTarget, stream: boolean): string {
  // Encoded: `:` in model ids becomes %3A as the AWS SDKs send it, and a model name never adds path segments.
  return `${trimSlash(target.baseURL)}/model/${encodeURIComponent(target.model)}/${stream ? 'converse-stream' : 'converse'}`;
}

export const bedrockAdapter: ProviderAdapter = {
  kind: 'bedrock',
  chatRequest(req, target) {
    const merged = withTargetParams(req, target);
    const { value, warnings } = toConverseRequest(merged);
    const stream = merged.stream === true;
    const headers: Record<string, string> = { ...target.headers, 'content-type': 'application/json' };
    headers.accept = stream ? 'application/vnd.amazon.eventstream' : 'application/json';
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
    const spec: HttpRequestSpec = {
      method: 'POST',
      url: converseUrl(target, stream),
      headers,
      body: JSON.stringify(value),
    };
    if (target.transport) spec.transport = target.transport;
    return { value: spec, warnings };
  },
  chatResponse: fromConverseResponse,
  chatStream: fromConverseStream,
  classifyHttpError: (status, body, headers) => classifyHttpError('bedrock', status, body, headers),
};
