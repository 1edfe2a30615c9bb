// The Anthropic ProviderAdapter: `baseURL` is the origin (as the official SDK takes it); we add /v1/messages.
import { classifyHttpError } from '@switchyard/core';
import type { ProviderAdapter } from '../provider-adapter.js';
import { trimSlash, withTargetParams } from '../translate-common.js';
import { fromAnthropicResponse } from './from-anthropic-response.js';
import { fromAnthropicStream } from './from-anthropic-stream.js';
import { toAnthropicRequest } from './to-anthropic-request.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export const anthropicAdapter: ProviderAdapter = {
  kind: 'anthropic',
  chatRequest(req, target) {
    const { value, warnings } = toAnthropicRequest(withTargetParams(req, target), target.model);
    const headers: Record<string, string> = {
      ...target.headers,
      'content-type': 'application/json',
      'anthropic-version': ANTHROPIC_VERSION,
    };
    if (target.apiKey) headers['x-api-key'] = target.apiKey;
    if (value.stream) headers.accept = 'text/event-stream';
    return {
      value: { method: 'POST', url: `${trimSlash(target.baseURL)}/v1/messages`, headers, body: JSON.stringify(value) },
      warnings,
    };
  },
  chatResponse: fromAnthropicResponse,
  chatStream: fromAnthropicStream,
  classifyHttpError: (status, body, headers) => classifyHttpError('anthropic', status, body, headers),
};
