// A charged hit must know what it charges: an entry stored without a cost (price unknown when it was stored, before
// `chargeHits` was switched on, or by another gateway sharing the store) must not be served for free.
import { describe, expect, it } from 'vitest';
import type { RoutePlan } from '../pipeline/seams.js';
import { cacheSchema } from './cache-config.js';
import { encodeEntry } from './cache-entry.js';
import type { CacheStore } from './cache-store.js';
import { createResponseCache } from './response-cache.js';

const entry = (costNanos?: bigint) =>
  encodeEntry({
    createdAt: 0,
    providerId: 'openai',
    model: 'gpt-4.1',
    ...(costNanos !== undefined && { costNanos }),
    body: { id: 'x', object: 'chat.completion', choices: [] },
  });
const storeAnswering = (text: string): CacheStore => ({
  kind: 'memory',
  get: async () => text,
  set: async () => {},
  delete: async () => {},
  close: async () => {},
});
const plan = { name: 'openai/gpt-4.1', strategy: 'single', targets: [] } as unknown as RoutePlan;
const body = { model: 'openai/gpt-4.1', messages: [{ role: 'user', content: 'hi' }] };

async function lookup(text: string, chargeHits: boolean) {
  const cache = createResponseCache({ store: storeAnswering(text), now: () => 1000 });
  cache.configure(cacheSchema.parse({ enabled: true, mode: 'all', chargeHits }), {});
  return cache.begin('chat', plan, body, {})?.identify({ keyId: 'k1' });
}

describe('charged cache hits', () => {
  it('an entry without a cost is a miss when hits are charged, and a free hit otherwise', async () => {
    expect(await lookup(entry(), true)).toBeUndefined();
    expect(await lookup(entry(), false)).toMatchObject({ chargeNanos: 0n });
  });
  it('an entry with a cost is charged that cost', async () => {
    expect(await lookup(entry(1234n), true)).toMatchObject({ chargeNanos: 1234n, savedNanos: 1234n });
  });
});
