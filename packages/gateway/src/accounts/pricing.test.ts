import { createStaticPriceSource } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { RouteTarget } from '../pipeline/seams.js';
import { DEFAULT_OUTPUT_CAP, estimateReservation } from './pricing.js';

const t = (providerId: string, model: string): RouteTarget => ({
  id: `${providerId}/${model}`,
  providerId,
  model,
  kind: 'openai',
  baseURL: 'http://127.0.0.1:1',
});
const prices = createStaticPriceSource({
  'openai/cheap': { input: 1, output: 2, maxOutputTokens: 100 },
  'openai/dear': { input: 10, output: 30 },
});

describe('reservation estimate', () => {
  it('takes the most expensive target; output from max_tokens, else catalog, else the cap', () => {
    const req = { endpoint: 'chat' as const, estimatedInputTokens: 1000, maxOutputTokens: 10 };
    expect(estimateReservation(req, [t('openai', 'cheap'), t('openai', 'dear')], prices)).toMatchObject({
      amountNanos: 1000n * 10_000n + 10n * 30_000n,
      tokens: 1010,
      inputTokens: 1000,
      outputTokens: 10,
      unknownTargets: [],
    });
    const noMax = { endpoint: 'chat' as const, estimatedInputTokens: 1000 };
    expect(estimateReservation(noMax, [t('openai', 'cheap')], prices).amountNanos).toBe(1000n * 1000n + 100n * 2000n);
    expect(estimateReservation(noMax, [t('openai', 'dear')], prices).tokens).toBe(1000 + DEFAULT_OUTPUT_CAP);
    const emb = { endpoint: 'embeddings' as const, estimatedInputTokens: 50 };
    expect(estimateReservation(emb, [t('openai', 'cheap')], prices)).toMatchObject({
      amountNanos: 50_000n,
      tokens: 50,
    });
  });

  it('an unknown target makes the amount unknown (never a silent $0)', () => {
    const req = { endpoint: 'chat' as const, estimatedInputTokens: 1 };
    expect(estimateReservation(req, [t('openai', 'cheap'), t('x', 'y')], prices)).toMatchObject({
      amountNanos: undefined,
      unknownTargets: ['x/y'],
    });
  });

  it("every output multiplier scales the bound: n, and a target's params (n, max_tokens) override the body", () => {
    const req = { endpoint: 'chat' as const, estimatedInputTokens: 0, maxOutputTokens: 100, outputMultiplier: 128 };
    expect(estimateReservation(req, [t('openai', 'dear')], prices).amountNanos).toBe(128n * 100n * 30_000n);
    const withParams = { ...t('openai', 'dear'), params: { n: 2, max_tokens: 1000 } };
    expect(estimateReservation(req, [withParams], prices).amountNanos).toBe(2n * 1000n * 30_000n);
  });
});

describe('reservation of server-side web searches', () => {
  // Anthropic bills $10 per 1,000 searches on top of tokens: a tenant asking for many searches must reserve them.
  const searchPrices = createStaticPriceSource({ 'anthropic/claude': { input: 3, output: 15, webSearch: 10 } });
  const claude: RouteTarget = { ...t('anthropic', 'claude'), kind: 'anthropic' };
  it('adds every search the request can trigger at the catalog fee', () => {
    const base = { endpoint: 'messages' as const, estimatedInputTokens: 100, maxOutputTokens: 10 };
    const without = estimateReservation(base, [claude], searchPrices).amountNanos ?? 0n;
    const withSearches = estimateReservation({ ...base, webSearches: 50 }, [claude], searchPrices).amountNanos ?? 0n;
    expect(withSearches - without).toBe(50n * 10_000_000n); // $0.01 each
  });
});
