// Golden/property test against the catalog library itself: for every catalog model whose price uses only units we
// model, our integer cost equals `@pydantic/genai-prices`' own calcPrice to within half a nano-USD per side (our
// single rounding), for random usages that exercise every unit (cache tiers, 1-hour writes, audio, images,
// searches) at random times (dated prices, time-of-day discounts).
import { calcPrice, type Provider, waitForUpdate } from '@pydantic/genai-prices';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Usage } from '../types.js';
import { computeCost, upperBoundCost } from './compute-cost.js';
import { createGenAIPricesSource } from './genai-prices-source.js';

const MODELLED = new Set([
  'input_mtok',
  'output_mtok',
  'cache_read_mtok',
  'cache_write_mtok',
  'cache_write_1h_mtok',
  'input_audio_mtok',
  'cache_audio_read_mtok',
  'input_image_mtok',
  'cache_image_read_mtok',
  'output_audio_mtok',
  'output_image_mtok',
  'web_searches_kcount',
  'requests_kcount',
]);

const providers = (await waitForUpdate()) as Provider[];
const pricesOf = (p: unknown) =>
  (Array.isArray(p) ? p.map((x: { prices: Record<string, unknown> }) => x.prices) : [p]) as Array<
    Record<string, unknown>
  >;
const models = providers.flatMap((p) =>
  p.models
    .filter((m) => pricesOf(m.prices).every((pr) => Object.keys(pr).every((k) => MODELLED.has(k))))
    .map((m) => ({ provider: p.id, model: m.id })),
);

/** A consistent usage: every part within what contains it. */
const usageArb = fc
  .record({
    input: fc.integer({ min: 0, max: 2_000_000 }),
    output: fc.integer({ min: 0, max: 200_000 }),
    shares: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 10, maxLength: 10 }),
    searches: fc.integer({ min: 0, max: 50 }),
  })
  .map(({ input, output, shares, searches }): Usage => {
    const part = (of: number, i: number) => Math.floor(of * (shares[i] ?? 0));
    const cacheRead = part(input, 0);
    const cacheWrite = part(input - cacheRead, 1);
    const plain = input - cacheRead - cacheWrite;
    const inputAudio = part(plain, 2) + part(cacheRead, 3);
    const cacheAudioRead = Math.min(part(cacheRead, 3), inputAudio);
    const inputImage = part(plain - (inputAudio - cacheAudioRead), 4) + part(cacheRead - cacheAudioRead, 5);
    const cacheImageRead = part(cacheRead - cacheAudioRead, 5);
    const outputAudio = part(output, 6);
    return {
      inputTokens: input,
      outputTokens: output,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      reasoningTokens: 0,
      cacheWrite1hTokens: part(cacheWrite, 7),
      inputAudioTokens: inputAudio,
      cacheAudioReadTokens: cacheAudioRead,
      inputImageTokens: inputImage,
      cacheImageReadTokens: cacheImageRead,
      outputAudioTokens: outputAudio,
      outputImageTokens: part(output - outputAudio, 8),
      webSearchRequests: searches,
      source: 'provider',
    };
  });

const u4 = (u: Usage): Usage => ({
  inputTokens: u.inputTokens,
  outputTokens: u.outputTokens,
  cacheReadTokens: u.cacheReadTokens,
  cacheWriteTokens: u.cacheWriteTokens,
  reasoningTokens: 0,
  source: 'provider',
});

const catalogUsage = (u: Usage) => ({
  input_tokens: u.inputTokens,
  output_tokens: u.outputTokens,
  cache_read_tokens: u.cacheReadTokens,
  cache_write_tokens: u.cacheWriteTokens,
  cache_write_1h_tokens: u.cacheWrite1hTokens ?? 0,
  input_audio_tokens: u.inputAudioTokens ?? 0,
  cache_audio_read_tokens: u.cacheAudioReadTokens ?? 0,
  input_image_tokens: u.inputImageTokens ?? 0,
  cache_image_read_tokens: u.cacheImageReadTokens ?? 0,
  output_audio_tokens: u.outputAudioTokens ?? 0,
  output_image_tokens: u.outputImageTokens ?? 0,
  web_searches: u.webSearchRequests ?? 0,
});

/** Every rate a whole number of nano-USD per unit (all but a handful of catalog rates). */
function exactDecimal(p: Record<string, unknown>): boolean {
  const rates = Object.values(p).flatMap((v) =>
    typeof v === 'number'
      ? [v]
      : v && typeof v === 'object'
        ? [(v as { base: number }).base, ...(v as { tiers: Array<{ price: number }> }).tiers.map((t) => t.price)]
        : [],
  );
  return rates.every((r) => Math.abs(Math.round(r * 1e9) - r * 1e9) < 1e-3);
}

// 2024-01-01 … 2028-01-01: before and after every dated change in the snapshot, at any time of day.
const timeArb = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) });

describe('cost = the catalog library, to the nano-dollar', () => {
  const source = createGenAIPricesSource({ maxCached: 100_000 });
  it('covers the catalog (most models use only modelled units)', () => {
    expect(models.length).toBeGreaterThan(800);
  });
  it('every modelled catalog model, random usage and time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...models),
        usageArb,
        timeArb,
        fc.boolean(),
        ({ provider, model }, full, at, plain) => {
          // `plain`: no audio/image/1-hour parts, the short path most calls take.
          const usage: Usage = plain ? { ...u4(full), webSearchRequests: full.webSearchRequests ?? 0 } : full;
          const want = calcPrice(catalogUsage(usage), model, { providerId: provider, timestamp: new Date(at) });
          const price = source.lookup(provider, model, at);
          expect(price === undefined).toBe(want === null);
          if (!price || !want) return;
          const got = computeCost(usage, price);
          const fee = want.total_price - want.input_price - want.output_price;
          // Half a nano (our one rounding) for decimal rates; a few catalog rates are repeating fractions (1/12 USD
          // per Mtok) that no decimal unit holds exactly: within one nano for those.
          const tolerance = (exactDecimal(want.model_price) ? 0.5 : 1) + 1e-6;
          expect(Math.abs(Number(got.inputNanos) - want.input_price * 1e9)).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(Number(got.outputNanos) - want.output_price * 1e9)).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(Number(got.feeNanos ?? 0n) - fee * 1e9)).toBeLessThanOrEqual(tolerance);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('upperBoundCost (what a reservation holds) is never below the real cost of the same token counts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...models), usageArb, timeArb, ({ provider, model }, usage, at) => {
        const price = source.lookup(provider, model, at);
        if (!price) return;
        const c = computeCost({ ...usage, webSearchRequests: 0 }, price);
        expect(upperBoundCost(usage.inputTokens, usage.outputTokens, price)).toBeGreaterThanOrEqual(c.totalNanos);
      }),
      { numRuns: 2000 },
    );
  });
});
