// The catalog source caches lookups per provider/model; model names come from clients, so the cache is bounded.
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ n: 0 }));
vi.mock('@pydantic/genai-prices', async (importOriginal) => {
  const real = await importOriginal<typeof import('@pydantic/genai-prices')>();
  return {
    ...real,
    calcPrice: (...args: Parameters<typeof real.calcPrice>) => {
      calls.n++;
      return real.calcPrice(...args);
    },
  };
});

const { createGenAIPricesSource } = await import('./genai-prices-source.js');

describe('genai-prices source cache', () => {
  it('answers repeated lookups from the cache', () => {
    const source = createGenAIPricesSource();
    calls.n = 0;
    const first = source.lookup('openai', 'gpt-4o-mini');
    expect(first?.modelId).toBeTruthy();
    expect(source.lookup('openai', 'gpt-4o-mini')).toEqual(first);
    expect(calls.n).toBe(1);
  });

  it('forgets the oldest entries past maxCached, so unique model names cannot grow it without bound', () => {
    const source = createGenAIPricesSource({ maxCached: 2 });
    calls.n = 0;
    for (const m of ['no-such-a', 'no-such-b', 'no-such-c']) expect(source.lookup('openai', m)).toBeUndefined();
    source.lookup('openai', 'no-such-c'); // still cached
    expect(calls.n).toBe(3);
    source.lookup('openai', 'no-such-a'); // evicted: looked up again
    expect(calls.n).toBe(4);
    expect(source.lookup('openai', 'gpt-4o-mini')?.modelId).toBeTruthy(); // known prices still resolve
  });
});
