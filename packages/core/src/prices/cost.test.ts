import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { usageOf as u } from '../test-support/usage.js';
import { computeCost } from './compute-cost.js';
import { createGenAIPricesSource } from './genai-prices-source.js';
import { maxOutputTokens, priceCall } from './price-call.js';
import type { ModelPrice } from './price-types.js';
import { chainPriceSources, createStaticPriceSource } from './static-price-source.js';

const TEST_PRICES = createStaticPriceSource(
  {
    'test-model': { input: '2', output: '8', cacheRead: '0.5', cacheWrite: '2.5', maxOutputTokens: 4096 },
    'anthropic/test-model': { input: '3', output: '15', cacheRead: '0.3', cacheWrite: '3.75' },
    'tiered-model': {
      input: '1.25',
      output: '10',
      cacheRead: '0.125',
      tiers: [{ above: 200_000, input: '2.5', output: '15', cacheRead: '0.25' }],
    },
  },
  'test-table',
);
const price = (model: string, provider = 'openai') => TEST_PRICES.lookup(provider, model) as ModelPrice;

describe('computeCost (integer nano-USD)', () => {
  it('bills cache reads, cache writes, plain input and output at their own rates', () => {
    // plain 100 × $3 + read 3000 × $0.3 + write 2000 × $3.75 per Mtok = 300 + 900 + 7500 µ$ → 8,700,000 nanos.
    expect(computeCost(u(5100, 400, 3000, 2000), price('test-model', 'anthropic'))).toEqual({
      inputNanos: 8_700_000n,
      outputNanos: 6_000_000n,
      totalNanos: 14_700_000n,
      priceSource: 'test-table',
    });
  });
  it('reasoning is part of output, not billed twice', () => {
    expect(computeCost(u(10, 1000, 0, 0, 700), price('test-model')).outputNanos).toBe(8_000_000n);
  });
  it('picks the long-context tier by prompt size (strictly above the start)', () => {
    expect(computeCost(u(200_000, 1000), price('tiered-model')).totalNanos).toBe(250_000_000n + 10_000_000n);
    expect(computeCost(u(200_001, 1000), price('tiered-model')).totalNanos).toBe(500_002_500n + 15_000_000n);
  });
  it('rounds sub-nano amounts half up, once per side', () => {
    // 3 tokens × $0.00015/Mtok = 0.45 nano → 0; 7 × $0.0006 = 4.2 → 4.
    const cheap = createStaticPriceSource({ m: { input: '0.00015', output: '0.0006' } }).lookup(
      'openai',
      'm',
    ) as ModelPrice;
    expect(computeCost(u(3, 7), cheap)).toMatchObject({ inputNanos: 0n, outputNanos: 4n, totalNanos: 4n });
    expect(computeCost(u(4, 0), cheap).inputNanos).toBe(1n); // 0.6 → 1
  });
  it('missing cache rates fall back to the input rate', () => {
    const p = createStaticPriceSource({ m: { input: '1', output: '1' } }).lookup('x', 'm') as ModelPrice;
    expect(computeCost(u(1_000_000, 0, 500_000, 500_000), p).inputNanos).toBe(1_000_000_000n);
  });
});

const usageArb = fc
  .record({
    input: fc.integer({ min: 0, max: 5_000_000 }),
    output: fc.integer({ min: 0, max: 500_000 }),
    readShare: fc.double({ min: 0, max: 1, noNaN: true }),
    writeShare: fc.double({ min: 0, max: 1, noNaN: true }),
    reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ input, output, readShare, writeShare, reasoningShare }) => {
    const cr = Math.floor(input * readShare);
    const cw = Math.floor((input - cr) * writeShare);
    return u(input, output, cr, cw, Math.floor(output * reasoningShare));
  });

describe('cost properties', () => {
  const flat = price('test-model');
  it('never negative; total = input + output', () => {
    fc.assert(
      fc.property(usageArb, (usage) => {
        const c = computeCost(usage, flat);
        expect(c.inputNanos >= 0n && c.outputNanos >= 0n).toBe(true);
        expect(c.totalNanos).toBe(c.inputNanos + c.outputNanos);
      }),
    );
  });
  it('additive: cost(a+b) = cost(a)+cost(b) within one nano of rounding per side (same tier)', () => {
    fc.assert(
      fc.property(usageArb, usageArb, (a, b) => {
        const sum = u(
          a.inputTokens + b.inputTokens,
          a.outputTokens + b.outputTokens,
          a.cacheReadTokens + b.cacheReadTokens,
          a.cacheWriteTokens + b.cacheWriteTokens,
        );
        const [ca, cb, cs] = [computeCost(a, flat), computeCost(b, flat), computeCost(sum, flat)];
        const diffIn = cs.inputNanos - ca.inputNanos - cb.inputNanos;
        const diffOut = cs.outputNanos - ca.outputNanos - cb.outputNanos;
        expect(diffIn >= -1n && diffIn <= 1n && diffOut >= -1n && diffOut <= 1n).toBe(true);
      }),
    );
  });
  it('exactly additive when amounts are whole nanos (token counts in thousands at these rates)', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), fc.nat(10_000), fc.nat(10_000), (i1, o1, i2, o2) => {
        const c = (i: number, o: number) => computeCost(u(i * 1000, o * 1000), flat).totalNanos;
        expect(c(i1 + i2, o1 + o2)).toBe(c(i1, o1) + c(i2, o2));
      }),
    );
  });
  it('usage parts never exceed totals after normalization and cost ignores impossible parts', () => {
    fc.assert(
      fc.property(usageArb, (usage) => {
        expect(usage.cacheReadTokens + usage.cacheWriteTokens).toBeLessThanOrEqual(usage.inputTokens);
        expect(usage.reasoningTokens).toBeLessThanOrEqual(usage.outputTokens);
        const bogus = { ...usage, cacheReadTokens: usage.inputTokens + 5, cacheWriteTokens: 9 };
        expect(computeCost(bogus, flat).inputNanos).toBeGreaterThanOrEqual(0n);
      }),
    );
  });
});

describe('price sources', () => {
  const catalog = createGenAIPricesSource();
  it('genai-prices snapshot converts rates to exact integers', () => {
    expect(catalog.lookup('openai', 'gpt-4o')?.rates).toEqual({
      input: 2_500_000_000n,
      output: 10_000_000_000n,
      cacheRead: 1_250_000_000n,
      webSearch: 10_000_000_000n, // $10 per thousand searches
    });
    const gem = catalog.lookup('gemini', 'gemini-2.5-pro');
    expect(gem?.rates.input).toBe(1_250_000_000n);
    expect(gem?.tiers).toEqual([
      { above: 200_000, rates: { input: 2_500_000_000n, output: 15_000_000_000n, cacheRead: 250_000_000n } },
    ]);
  });
  it('matches the catalog library totals for the reference examples', () => {
    expect(priceCall(u(1000, 500, 200), 'openai', 'gpt-4o', catalog).cost?.totalNanos).toBe(7_250_000n);
    expect(priceCall(u(5100, 400, 3000, 2000), 'anthropic', 'claude-sonnet-4-6', catalog).cost?.totalNanos).toBe(
      14_700_000n,
    );
    expect(priceCall(u(1200, 1000, 0, 0, 700), 'gemini', 'gemini-2.5-pro', catalog).cost?.totalNanos).toBe(11_500_000n);
  });
  it('resolves dated ids and infers the provider for openai-compatible', () => {
    expect(catalog.lookup('anthropic', 'claude-sonnet-4-20250514')?.modelId).toBe('claude-sonnet-4-0');
    expect(catalog.lookup('openai-compatible', 'gpt-4o')?.modelId).toBe('gpt-4o');
  });
  it('overrides win when chained first', () => {
    const chained = chainPriceSources(TEST_PRICES, catalog);
    expect(chained.lookup('openai', 'test-model')?.source).toBe('test-table');
    expect(chained.lookup('openai', 'gpt-4o')?.source).toBe('genai-prices@0.1.8');
    expect(chained.lookup('anthropic', 'test-model')?.rates.input).toBe(3_000_000n * 1000n);
    expect(chained.lookup('openai', 'no-such-model-xyz')).toBeUndefined();
  });
  it('unknown model: flagged, no cost, logged once per model', () => {
    const log = vi.fn();
    const r1 = priceCall(u(10, 10), 'openai', 'unknown-model-1', TEST_PRICES, log);
    const r2 = priceCall(u(10, 10), 'openai', 'unknown-model-1', TEST_PRICES, log);
    priceCall(u(10, 10), 'openai', 'unknown-model-2', TEST_PRICES, log);
    expect(r1).toEqual({ unknownPrice: true });
    expect(r2.cost).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(2);
  });
  it('maxOutputTokens when the source knows it', () => {
    expect(maxOutputTokens('openai', 'test-model', TEST_PRICES)).toBe(4096);
    expect(maxOutputTokens('openai', 'gpt-4o', catalog)).toBeUndefined();
  });
});
