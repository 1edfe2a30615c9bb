import { chainPriceSources, createStaticPriceSource, defaultPriceSource, type Usage } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { estimateReservation } from '../accounts/pricing.js';
import { validateConfig } from '../config/load-config.js';
import { planFor } from '../config/plan-for.js';
import { newCallMeta, priceUsage } from '../pipeline/call-meta.js';
import { priceOfFromSource } from '../routing/price-of.js';
import { catalogProviderOf, resolvePrice } from './resolve-price.js';

const usage: Usage = {
  inputTokens: 1000,
  outputTokens: 200,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  source: 'provider',
};

describe('catalogProviderOf', () => {
  it('explicit, then by id, then by base-URL host, then by kind', () => {
    const oc = 'openai-compatible' as const;
    expect(catalogProviderOf('mine', { kind: oc, baseURL: 'http://10.0.0.1/v1', catalogProvider: 'fireworks' })).toBe(
      'fireworks',
    );
    for (const [id, want] of [
      ['groq', 'groq'],
      ['deepseek', 'deepseek'],
      ['xai', 'x-ai'],
      ['mistral', 'mistral'],
      ['together', 'together'],
      ['fireworks', 'fireworks'],
      ['openrouter', 'openrouter'],
      ['cerebras', 'cerebras'],
      ['perplexity', 'perplexity'],
    ])
      expect(catalogProviderOf(id as string, { kind: oc, baseURL: 'http://127.0.0.1:1/v1' })).toBe(want);
    expect(catalogProviderOf('fast', { kind: oc, baseURL: 'https://api.groq.com/openai/v1' })).toBe('groq');
    expect(catalogProviderOf('tg', { kind: oc, baseURL: 'https://api.together.xyz/v1' })).toBe('together');
    expect(catalogProviderOf('sim', { kind: 'anthropic', baseURL: 'http://127.0.0.1:9' })).toBe('anthropic');
    expect(catalogProviderOf('sim', { kind: 'gemini' })).toBe('google');
    expect(catalogProviderOf('vllm', { kind: oc, baseURL: 'http://10.0.0.7:8000/v1' })).toBeUndefined();
  });
});

describe('one resolution for admission, routing and the charge', () => {
  const config = validateConfig({
    providers: {
      groq: { kind: 'openai-compatible', baseURL: 'https://example-host/openai/v1', apiKey: 'k' },
      box: { kind: 'openai-compatible', baseURL: 'http://10.1.2.3/v1', apiKey: 'k', catalogProvider: 'deepseek' },
    },
    prices: { 'groq/llama-3.3-70b': { input: '0.59', output: '0.79' } },
  });
  const source = chainPriceSources(
    createStaticPriceSource({ 'groq/llama-3.3-70b': { input: '0.59', output: '0.79' } }),
    defaultPriceSource(),
  );
  const at = Date.UTC(2026, 0, 5, 12);

  it.each([
    ['groq/llama-3.3-70b', 'override:config'], // the README example: override keyed <providerId>/<model>
    ['groq/llama-3.3-70b-versatile', 'genai-prices@0.1.8'], // catalog provider by id
    ['box/deepseek-chat', 'genai-prices@0.1.8'], // explicit catalogProvider
  ])('%s: reservation, cheapest routing and the charge use the same price', (model, from) => {
    const target = planFor(model, config).targets[0];
    if (!target) throw new Error('no target');
    const price = resolvePrice(source, target, at);
    expect(price?.source).toBe(from);
    const req = { endpoint: 'chat' as const, estimatedInputTokens: 1000, maxOutputTokens: 200, receivedAt: at };
    const reserved = estimateReservation(req, [target], source).amountNanos;
    const routed = priceOfFromSource(source)(target, {
      ...req,
      requestId: 'r',
      callId: 'r',
      model,
      stream: false,
      signal: new AbortController().signal,
    });
    const meta = newCallMeta(target, 'primary', 'chat', false, at);
    priceUsage(meta, usage, source);
    expect(meta.unknownPrice).toBe(false);
    expect(reserved).toBe(meta.cost?.totalNanos);
    expect(routed).toBe(meta.cost?.totalNanos);
    expect(meta.cost?.totalNanos).toBeGreaterThan(0n);
  });

  it('the charge is priced at the call time (time-of-day prices)', () => {
    const target = planFor('box/deepseek-chat', config).targets[0];
    if (!target) throw new Error('no target');
    const day = newCallMeta(target, 'primary', 'chat', false, Date.UTC(2026, 0, 5, 12));
    const night = newCallMeta(target, 'primary', 'chat', false, Date.UTC(2026, 0, 5, 20));
    priceUsage(day, usage, source);
    priceUsage(night, usage, source);
    expect(day.cost?.totalNanos).toBe(2n * (night.cost?.totalNanos ?? 0n));
  });
});
