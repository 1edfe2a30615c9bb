import { describe, expect, it } from 'vitest';
import { createRouteExecutor } from '../executor.js';
import { FakeClock } from '../testing/fake-clock.js';
import { plan, request, scripted, target } from '../testing/fixtures.js';
import { seededRandom as prng } from '../testing/seeded-random.js';
import type { StrategyInput } from './index.js';
import { cheapest, leastLatency, weighted } from './index.js';

const clock = new FakeClock();
const base = (over: Partial<StrategyInput>): StrategyInput => ({
  targets: [],
  req: request(clock),
  random: Math.random,
  latencyOf: () => undefined,
  priceOf: () => undefined,
  exploreRate: 0,
  ...over,
});

describe('weighted', () => {
  it('splits 10k picks by weight within tolerance, rest as fallbacks in order', () => {
    const targets = [
      target('a', { weight: 70 }),
      target('b', { weight: 20 }),
      target('c', { weight: 10 }),
      target('z', { weight: 0 }),
    ];
    const input = base({ targets, random: prng(42) });
    const counts: Record<string, number> = {};
    let lengths = 0;
    for (let i = 0; i < 10_000; i++) {
      const order = weighted(input);
      counts[order[0]!.id] = (counts[order[0]!.id] ?? 0) + 1;
      lengths += order.length;
    }
    expect(lengths).toBe(40_000);
    // 4 standard deviations: sqrt(10k·p·(1-p)) ≈ 46 / 40 / 30
    expect(Math.abs((counts.a ?? 0) - 7_000)).toBeLessThan(184);
    expect(Math.abs((counts.b ?? 0) - 2_000)).toBeLessThan(160);
    expect(Math.abs((counts.c ?? 0) - 1_000)).toBeLessThan(120);
    expect(counts.z).toBeUndefined();
    expect(weighted(base({ targets, random: () => 0.75 })).map((t) => t.id)).toEqual(['b', 'a', 'c', 'z']);
  });
});

describe('cheapest', () => {
  it('orders by price, ties by latency, unknown price last', () => {
    const prices: Record<string, bigint | undefined> = { a: 300n, b: 100n, c: 100n, d: undefined };
    const ms: Record<string, number> = { a: 1, b: 50, c: 20, d: 1 };
    const order = cheapest(
      base({
        targets: ['d', 'a', 'b', 'c'].map((id) => target(id)),
        priceOf: (t) => prices[t.id],
        latencyOf: (id) => ms[id],
      }),
    );
    expect(order.map((t) => t.id)).toEqual(['c', 'b', 'a', 'd']);
  });

  it('receives the request so prices follow its estimated tokens', () => {
    const seen: number[] = [];
    cheapest(
      base({
        targets: [target('a')],
        priceOf: (_t, r) => {
          seen.push(r.estimatedInputTokens);
          return 1n;
        },
      }),
    );
    expect(seen).toEqual([100]);
  });
});

describe('least-latency', () => {
  it('unknown targets first, then lowest EWMA; exploration promotes another', () => {
    const ms: Record<string, number> = { a: 200, b: 50 };
    const targets = [target('a'), target('b'), target('c')];
    expect(leastLatency(base({ targets, latencyOf: (id) => ms[id] })).map((t) => t.id)).toEqual(['c', 'b', 'a']);
    const explore = leastLatency(base({ targets, latencyOf: (id) => ms[id], exploreRate: 1, random: () => 0.99 }));
    expect(explore.map((t) => t.id)).toEqual(['a', 'c', 'b']);
  });

  it('shifts to the faster target and comes back after recovery (executor, fake clock)', async () => {
    const clk = new FakeClock();
    const ex = createRouteExecutor({ clock: clk, random: prng(7), latency: { exploreRate: 0.1 } });
    const p = plan([target('a'), target('b')], { strategy: 'least-latency' });
    let lat = { a: 10, b: 50 };
    const pick = async () => {
      const { attempt, calls } = scripted(clk, { a: [{ ok: 'a', after: lat.a }], b: [{ ok: 'b', after: lat.b }] });
      const r = ex.execute(p, attempt, request(clk));
      await clk.advance(Math.max(lat.a, lat.b));
      await r;
      return calls[0]!.targetId;
    };
    const share = async (n: number) => {
      let a = 0;
      for (let i = 0; i < n; i++) if ((await pick()) === 'a') a++;
      return a / n;
    };
    expect(await share(100)).toBeGreaterThan(0.85);
    lat = { a: 200, b: 50 }; // a degrades
    await share(50);
    expect(await share(100)).toBeLessThan(0.15);
    lat = { a: 10, b: 50 }; // a recovers: exploration samples pull its EWMA back down
    await share(100);
    expect(await share(100)).toBeGreaterThan(0.85);
    expect(
      ex
        .latencyStats()
        .map((s) => s.targetId)
        .sort(),
    ).toEqual(['a', 'b']);
  });
});

describe('least-latency with a hanging target', () => {
  it('a first-byte timeout counts as a (slow) sample, so the hanging target stops going first', async () => {
    const clk = new FakeClock();
    const ex = createRouteExecutor({ clock: clk, random: () => 0.5, latency: { exploreRate: 0 } });
    const p = plan([target('hang'), target('ok')], {
      strategy: 'least-latency',
      timeouts: { connectMs: 10, firstByteMs: 1_000, totalMs: 10_000 },
    });
    const firsts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { attempt, calls } = scripted(clk, { hang: ['hang'], ok: [{ ok: 'ok', after: 20 }] });
      const r = ex.execute(p, attempt, request(clk));
      await clk.advance(1_100);
      expect((await r).value).toBe('ok');
      firsts.push(calls[0]!.targetId);
    }
    // both unknown at first (configured order); then 'hang' has a 1000 ms sample and 'ok' 20 ms
    expect(firsts).toEqual(['hang', 'ok', 'ok']);
  });
});
