// Exactness gaps of #13: 1-hour cache writes, server-tool fees, audio/image tokens, per-call time, free models.
import { describe, expect, it } from 'vitest';
import { usageOf as u } from '../test-support/usage.js';
import type { Usage } from '../types.js';
import { computeCost } from './compute-cost.js';
import { createGenAIPricesSource } from './genai-prices-source.js';
import type { ModelPrice } from './price-types.js';
import { createStaticPriceSource } from './static-price-source.js';

const catalog = createGenAIPricesSource();
const price = (provider: string, model: string, at?: number) => catalog.lookup(provider, model, at) as ModelPrice;
const with_ = (base: Usage, extra: Partial<Usage>): Usage => ({ ...base, ...extra });

describe('Anthropic 1-hour cache writes', () => {
  // claude-opus-4-1: input $15, 5-minute write $18.75, 1-hour write $30, output $75 per Mtok.
  const opus = price('anthropic', 'claude-opus-4-1');
  it('bills 1-hour writes at cache_write_1h_mtok and the rest of the writes at the 5-minute rate', () => {
    const usage = with_(u(100 + 20_000, 500, 0, 20_000), { cacheWrite1hTokens: 15_000 });
    // 100 × 15 + 5,000 × 18.75 + 15,000 × 30 = 1,500 + 93,750 + 450,000 µ$ (per Mtok → nanos ×1000 / 1e6)
    expect(computeCost(usage, opus).inputNanos).toBe(1_500_000n + 93_750_000n + 450_000_000n);
    expect(computeCost(usage, opus).outputNanos).toBe(37_500_000n);
  });
  it('before: 1-hour writes at the 5-minute rate were 37.5 % under on those tokens', () => {
    const all1h = with_(u(10_000, 0, 0, 10_000), { cacheWrite1hTokens: 10_000 });
    const as5m = u(10_000, 0, 0, 10_000);
    expect(computeCost(all1h, opus).totalNanos).toBe(300_000_000n);
    expect(computeCost(as5m, opus).totalNanos).toBe(187_500_000n); // what the old code charged
  });
  it('a 1-hour count above the writes is clamped to them', () => {
    const usage = with_(u(1000, 0, 0, 1000), { cacheWrite1hTokens: 5000 });
    expect(computeCost(usage, opus).inputNanos).toBe(30_000_000n);
  });
});

describe('server-tool fees', () => {
  it('web searches at web_searches_kcount ($10 per thousand on Claude)', () => {
    const sonnet = price('anthropic', 'claude-sonnet-4-5');
    const c = computeCost(with_(u(1000, 100), { webSearchRequests: 3 }), sonnet);
    expect(c.feeNanos).toBe(30_000_000n);
    expect(c.totalNanos).toBe(c.inputNanos + c.outputNanos + 30_000_000n);
  });
  it('no searches: no fee field, total unchanged', () => {
    const c = computeCost(u(1000, 100), price('anthropic', 'claude-sonnet-4-5'));
    expect(c.feeNanos).toBeUndefined();
    expect(c.totalNanos).toBe(c.inputNanos + c.outputNanos);
  });
});

describe('audio and image tokens at their own rates', () => {
  it('gpt-realtime: audio in $32, cached audio $0.4, image in $5, audio out $64', () => {
    const p = price('openai', 'gpt-realtime');
    const usage = with_(u(10_000, 2_000, 3_000), {
      inputAudioTokens: 4_000,
      cacheAudioReadTokens: 1_000,
      inputImageTokens: 1_000,
      outputAudioTokens: 1_500,
    });
    // text in: 10,000 − 3,000 cached − 3,000 uncached audio − 1,000 image = 3,000 × $4;
    // cached text 2,000 × $0.4; cached audio 1,000 × $0.4; audio 3,000 × $32; image 1,000 × $5.
    const input = 3_000n * 4_000n + 2_000n * 400n + 1_000n * 400n + 3_000n * 32_000n + 1_000n * 5_000n;
    expect(computeCost(usage, p).inputNanos).toBe(input);
    expect(computeCost(usage, p).outputNanos).toBe(500n * 16_000n + 1_500n * 64_000n);
  });
  it('gemini-2.5-flash audio prompt at input_audio_mtok; images stay text-priced where the catalog has no rate', () => {
    const p = price('gemini', 'gemini-2.5-flash');
    const usage = with_(u(2_000, 0), { inputAudioTokens: 1_000, inputImageTokens: 500 });
    expect(computeCost(usage, p).inputNanos).toBe(1_000n * 1_000n + 1_000n * 300n);
  });
});

describe('each call priced at its own time', () => {
  it('DeepSeek time-of-day discount: same source, calls at different hours, different prices', () => {
    const usage = u(1_000_000, 0);
    const day = Date.UTC(2026, 0, 5, 12, 0); // 12:00 UTC: full price $0.27
    const night = Date.UTC(2026, 0, 5, 20, 0); // 20:00 UTC: discount $0.135
    expect(computeCost(usage, price('deepseek', 'deepseek-chat', day)).inputNanos).toBe(270_000_000n);
    expect(computeCost(usage, price('deepseek', 'deepseek-chat', night)).inputNanos).toBe(135_000_000n);
    expect(computeCost(usage, price('deepseek', 'deepseek-chat', day)).inputNanos).toBe(270_000_000n);
  });
  it('a dated price change applies from its start date, not from the first lookup', () => {
    const before = price('openai', 'o3', Date.UTC(2025, 5, 9));
    const after = price('openai', 'o3', Date.UTC(2025, 5, 10));
    expect(before.rates.input).toBe(10_000_000_000n);
    expect(after.rates.input).toBe(2_000_000_000n);
    expect(price('openai', 'o3', Date.UTC(2025, 5, 9)).rates.input).toBe(10_000_000_000n);
  });
  it('the `at` option pins every call to one date', () => {
    const pinned = createGenAIPricesSource({ at: new Date(Date.UTC(2025, 0, 1)) });
    expect(pinned.lookup('openai', 'o3', Date.UTC(2026, 0, 1))?.rates.input).toBe(10_000_000_000n);
  });
});

describe('catalog edge cases', () => {
  it('a model the catalog lists with no price at all is free ($0, known)', () => {
    const p = catalog.lookup('openrouter', 'liquid/lfm-2.5-1.2b-instruct:free');
    expect(p?.rates).toMatchObject({ input: 0n, output: 0n });
  });
  it('static overrides take the new units too (USD per Mtok, searches per thousand)', () => {
    const p = createStaticPriceSource({
      m: { input: 1, output: 2, cacheWrite: '1.25', cacheWrite1h: 2, webSearch: 10 },
    }).lookup('x', 'm') as ModelPrice;
    const c = computeCost(
      with_(u(1_000_000, 0, 0, 1_000_000), { cacheWrite1hTokens: 500_000, webSearchRequests: 1 }),
      p,
    );
    expect(c.inputNanos).toBe(625_000_000n + 1_000_000_000n);
    expect(c.feeNanos).toBe(10_000_000n);
  });
});
