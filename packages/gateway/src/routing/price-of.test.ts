import { describe, expect, it } from 'vitest';
import { priceOfFromSource } from './price-of.js';
import { cheapest } from './strategies/index.js';
import { FakeClock } from './testing/fake-clock.js';
import { request, target } from './testing/fixtures.js';

describe('priceOfFromSource', () => {
  it('prices estimated input + output bound with integer nanos, and drives cheapest', () => {
    const rates = (input: bigint, output: bigint) => ({ rates: { input, output }, source: 'test' });
    const prices: Record<string, ReturnType<typeof rates>> = {
      'openai/big': rates(2_500_000_000n, 10_000_000_000n), // $2.5 / $10 per Mtok
      'groq/small': rates(100_000_000n, 400_000_000n),
    };
    const priceOf = priceOfFromSource({ lookup: (p, m) => prices[`${p}/${m}`] });
    const req = request(new FakeClock(), { estimatedInputTokens: 1_000, maxOutputTokens: 500 });
    // 1000 × 2.5e9 / 1e6 + 500 × 10e9 / 1e6 = 2.5e6 + 5e6 nanos
    expect(priceOf(target('openai/big'), req)).toBe(7_500_000n);
    expect(priceOf(target('groq/small'), req)).toBe(300_000n);
    expect(priceOf(target('other/unknown'), req)).toBeUndefined();
    // no client bound: the catalog's max output, else the default bound
    const noMax = request(new FakeClock(), { estimatedInputTokens: 0 });
    expect(priceOf(target('groq/small'), noMax)).toBe((4_096n * 400_000_000n) / 1_000_000n);
    const order = cheapest({
      targets: [target('other/unknown'), target('openai/big'), target('groq/small')],
      req,
      random: Math.random,
      latencyOf: () => undefined,
      priceOf,
      exploreRate: 0,
    });
    expect(order.map((t) => t.id)).toEqual(['groq/small', 'openai/big', 'other/unknown']);
  });
});

describe('cheapest with the default catalog', () => {
  it('an executor with no priceOf prices targets from core’s catalog', async () => {
    const { createRouteExecutor } = await import('./executor.js');
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock });
    const seen: string[] = [];
    const attempt = async (t: { id: string }) => {
      seen.push(t.id);
      return t.id;
    };
    const plan = {
      name: 'budget',
      strategy: 'cheapest' as const,
      targets: [target('openai/gpt-4o'), target('nobody/unknown-model'), target('openai/gpt-4o-mini')],
      retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      fallbackOn: [],
      timeouts: { connectMs: 1_000, firstByteMs: 1_000, totalMs: 5_000 },
    };
    const res = await ex.execute(plan, attempt, request(clock, { estimatedInputTokens: 1_000, maxOutputTokens: 100 }));
    expect(res.target.id).toBe('openai/gpt-4o-mini');
  });
});
