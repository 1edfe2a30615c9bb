import { describe, expect, it } from 'vitest';
import { BreakerRegistry } from './breaker.js';
import { createRouteExecutor } from './executor.js';
import { DEFAULT_BREAKER } from './policy.js';
import { FakeClock } from './testing/fake-clock.js';
import { fail, plan, request, scripted, target } from './testing/fixtures.js';

const cfg = { ...DEFAULT_BREAKER, consecutiveFailures: 3, coolDownMs: 1_000, halfOpenProbes: 1 };

describe('BreakerRegistry', () => {
  it('opens on N consecutive failures, half-opens after cool-down with limited probes, closes on success', () => {
    const changes: string[] = [];
    const b = new BreakerRegistry(cfg, (id, s) => changes.push(`${id}:${s}`));
    for (let i = 0; i < 2; i++) b.record('a', 'failure', 0);
    expect(b.acquire('a', 0)).toBe('pass');
    b.record('a', 'failure', 0);
    expect(b.acquire('a', 10)).toBe('deny');
    expect(b.snapshot(10)[0]).toMatchObject({ state: 'open', stateCode: 2, consecutiveFailures: 3 });
    expect(b.acquire('a', 1_000)).toBe('probe');
    expect(b.acquire('a', 1_000)).toBe('deny'); // only one probe at a time
    b.record('a', 'success', 1_100, 'probe');
    expect(b.acquire('a', 1_100)).toBe('pass');
    expect(changes).toEqual(['a:open', 'a:half-open', 'a:closed']);
  });

  it('a failed probe re-opens for another cool-down', () => {
    const b = new BreakerRegistry(cfg);
    for (let i = 0; i < 3; i++) b.record('a', 'failure', 0);
    expect(b.acquire('a', 1_000)).toBe('probe');
    b.record('a', 'failure', 1_200, 'probe');
    expect(b.acquire('a', 2_100)).toBe('deny');
    expect(b.acquire('a', 2_200)).toBe('probe');
  });

  it('a cancelled/ignored probe frees its slot without deciding anything', () => {
    const b = new BreakerRegistry(cfg);
    for (let i = 0; i < 3; i++) b.record('a', 'failure', 0);
    expect(b.acquire('a', 1_000)).toBe('probe');
    b.record('a', 'ignored', 1_000, 'probe');
    expect(b.snapshot(1_000)[0]!.state).toBe('half-open');
    expect(b.acquire('a', 1_000)).toBe('probe');
  });

  it('opens on error rate over the rolling window with minimum volume; old failures age out', () => {
    const b = new BreakerRegistry({
      ...cfg,
      consecutiveFailures: 100,
      minRequests: 10,
      errorRate: 0.5,
      windowMs: 10_000,
    });
    // alternate: never 2 failures in a row, 50 % error rate
    for (let i = 0; i < 8; i++) b.record('a', i % 2 ? 'failure' : 'success', i);
    expect(b.acquire('a', 9)).toBe('pass'); // below min volume
    b.record('a', 'success', 9);
    b.record('a', 'failure', 9);
    expect(b.acquire('a', 10)).toBe('deny');

    const c = new BreakerRegistry({
      ...cfg,
      consecutiveFailures: 100,
      minRequests: 4,
      errorRate: 0.5,
      windowMs: 10_000,
    });
    for (let i = 0; i < 3; i++) c.record('a', 'failure', 0);
    c.record('a', 'success', 0);
    c.record('a', 'success', 20_000); // the early failures left the window
    c.record('a', 'failure', 20_000);
    expect(c.acquire('a', 20_000)).toBe('pass');
  });
});

describe('breaker in the executor', () => {
  it('opens on a dead primary, then skips it with no added latency, half-opens and closes', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, breaker: cfg });
    const script = { a: [{ err: fail('upstream_5xx'), after: 50 }], b: [{ ok: 'B', after: 20 }] };
    const p2 = plan([target('a'), target('b')]);
    let s = scripted(clock, script);
    for (let i = 0; i < 3; i++) {
      const p = ex.execute(p2, s.attempt, request(clock));
      await clock.advance(100);
      expect((await p).value).toBe('B');
    }
    expect(ex.breakerStates().find((b) => b.targetId === 'a')).toMatchObject({ state: 'open', stateCode: 2 });

    s = scripted(clock, script);
    const start = clock.now();
    const p = ex.execute(p2, s.attempt, request(clock));
    await clock.advance(20);
    const res = await p;
    expect(res.value).toBe('B');
    expect(s.calls.map((c) => c.targetId)).toEqual(['b']);
    expect(s.calls[0]!.at - start).toBe(0); // skipping costs no time
    expect(res.attempts.map((a) => [a.targetId, a.outcome, a.durationMs])).toEqual([
      ['a', 'skipped', 0],
      ['b', 'ok', 20],
    ]);

    await clock.advance(1_000); // cool-down over: half-open probe goes to a, which has recovered
    s = scripted(clock, { a: [{ ok: 'A' }], b: [{ ok: 'B' }] });
    expect(ex.breakerStates().find((b) => b.targetId === 'a')?.state).toBe('half-open');
    const probe = ex.execute(p2, s.attempt, request(clock));
    await clock.advance(1);
    expect((await probe).value).toBe('A');
    expect(ex.breakerStates().find((b) => b.targetId === 'a')?.state).toBe('closed');
  });

  it('client bad requests and cancels do not count against the target', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, breaker: cfg });
    const s = scripted(clock, { a: [{ err: fail('bad_request') }] });
    for (let i = 0; i < 5; i++) await ex.execute(plan([target('a')]), s.attempt, request(clock)).catch(() => {});
    expect(ex.breakerStates()[0]).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('report() feeds late stream failures to the breaker', () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, breaker: cfg });
    for (let i = 0; i < 3; i++) ex.report('a', { ok: false, latencyMs: 10, error: fail('stream_interrupted').info });
    expect(ex.breakerStates()[0]?.state).toBe('open');
  });

  it('all targets open → fails fast with a clear error', async () => {
    const clock = new FakeClock();
    const ex = createRouteExecutor({ clock, breaker: cfg });
    for (let i = 0; i < 3; i++) ex.report('a', { ok: false, latencyMs: 10, error: fail('upstream_5xx').info });
    const s = scripted(clock, { a: [{ ok: 'A' }] });
    const err = await ex.execute(plan([target('a')]), s.attempt, request(clock)).catch((e: unknown) => e);
    expect(err).toMatchObject({ info: { errorClass: 'overloaded', message: 'circuit breaker open for a' } });
    expect(s.calls).toHaveLength(0);
  });
});

describe('bounded memory', () => {
  it('tracks at most MAX_TRACKED_TARGETS ids (client-named models cannot grow the map forever)', async () => {
    const { MAX_TRACKED_TARGETS } = await import('./policy.js');
    const b = new BreakerRegistry(cfg);
    for (let i = 0; i < MAX_TRACKED_TARGETS + 10; i++) b.record(`p/m${i}`, 'failure', 0);
    const ids = b.snapshot(0).map((s) => s.targetId);
    expect(ids).toHaveLength(MAX_TRACKED_TARGETS);
    expect(ids).not.toContain('p/m0');
    expect(ids).toContain(`p/m${MAX_TRACKED_TARGETS + 9}`);
  });
});
