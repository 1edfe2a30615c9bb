// The response for a cache hit: the stored answer replayed in the client's format (JSON, or the format's event
// stream), with the same headers as a proxied answer plus `x-switchyard-cache: hit` and `age`.
import { nanosToUsdString } from '@switchyard/core';
import type { PipelineResponse } from '../pipeline/pipeline-types.js';
import { SSE_HEADERS } from '../pipeline/stream-response.js';
import type { CacheRequest } from './response-cache.js';

export function hitResponse(cache: CacheRequest, stream: boolean, base: Record<string, string>): PipelineResponse {
  const hit = cache.hit;
  if (!hit) throw new Error('hitResponse without a hit');
  const headers: Record<string, string> = {
    ...base,
    'x-switchyard-provider': hit.entry.providerId,
    'x-switchyard-model': hit.entry.model,
    'x-switchyard-attempts': '0',
    'x-switchyard-cost-usd': nanosToUsdString(hit.chargeNanos),
    'x-switchyard-cost-saved-usd': nanosToUsdString(hit.savedNanos),
    'x-switchyard-cache': 'hit',
    age: String(hit.ageSeconds),
  };
  const out = cache.replay(stream);
  if ('json' in out) return { status: 200, headers, json: out.json };
  const text = out.chunks.join('');
  return { status: 200, headers: { ...headers, ...SSE_HEADERS }, stream: once(text) };
}

/** The whole replay in one write: it is already complete, and one write is the cheapest way to send it. */
async function* once(text: string): AsyncGenerator<string, void> {
  yield text;
}
