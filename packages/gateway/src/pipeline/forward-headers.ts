// Requests to providers carry our credentials and an allow-list of client headers — never the client's
// Authorization / x-api-key (those are Switchyard virtual keys).
import type { ProviderKind } from '@switchyard/core';
import type { HttpRequestSpec, UpstreamTarget } from '../providers/provider-adapter.js';
import type { HeaderMap } from './pipeline-types.js';

const ALLOWED: Record<ProviderKind, readonly string[]> = {
  openai: ['openai-beta'],
  'openai-compatible': ['openai-beta'],
  anthropic: ['anthropic-beta', 'anthropic-version'],
  gemini: [],
  'azure-openai': [],
  bedrock: [],
  vertex: [],
};

export function allowedClientHeaders(kind: ProviderKind, client: HeaderMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ALLOWED[kind]) {
    const v = client[name];
    if (typeof v === 'string' && v.length <= 512) out[name] = v;
  }
  return out;
}

/** Same-format OpenAI request: `<baseURL><path>` with Bearer auth. */
export function openaiLikeSpec(
  path: string,
  body: unknown,
  target: UpstreamTarget,
  client: HeaderMap,
  stream: boolean,
): HttpRequestSpec {
  return {
    method: 'POST',
    url: `${target.baseURL}${path}`,
    headers: {
      ...allowedClientHeaders(target.kind, client),
      ...target.headers,
      'content-type': 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
      ...(target.apiKey !== undefined && { authorization: `Bearer ${target.apiKey}` }),
    },
    body: JSON.stringify(body),
  };
}

/** Same-format Anthropic request: `<origin>/v1/messages` with x-api-key. */
export function anthropicSpec(body: unknown, target: UpstreamTarget, client: HeaderMap): HttpRequestSpec {
  return {
    method: 'POST',
    url: `${target.baseURL}/v1/messages`,
    headers: {
      'anthropic-version': '2023-06-01',
      ...allowedClientHeaders('anthropic', client),
      ...target.headers,
      'content-type': 'application/json',
      ...(target.apiKey !== undefined && { 'x-api-key': target.apiKey }),
    },
    body: JSON.stringify(body),
  };
}
