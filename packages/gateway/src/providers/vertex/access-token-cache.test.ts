import { describe, expect, it } from 'vitest';
import { AccessTokenCache } from './access-token-cache.js';

describe('AccessTokenCache', () => {
  it('serves the cached token, refreshes in the background near expiry, waits only when expired', async () => {
    let now = 0;
    let fetches = 0;
    let release: (() => void) | undefined;
    const cache = new AccessTokenCache({
      now: () => now,
      refreshMs: 60_000,
      fetch: async () => {
        fetches++;
        const n = fetches;
        if (n === 2) await new Promise<void>((r) => (release = r)); // the background refresh is slow
        return { value: `t${n}`, expiresAt: now + 3_600_000 };
      },
    });
    expect(await Promise.all([cache.get(), cache.get()])).toEqual(['t1', 't1']); // single flight
    expect(fetches).toBe(1);
    now = 3_600_000 - 30_000; // inside the refresh window, still valid
    expect(await cache.get()).toBe('t1'); // not waiting for the slow refresh
    expect(await cache.get()).toBe('t1');
    expect(fetches).toBe(2); // one refresh in flight, not one per call
    release?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get()).toBe('t2');
    now += 10 * 3_600_000; // expired: the caller waits for a fresh one
    expect(await cache.get()).toBe('t3');
  });

  it('a failed fetch is reported to a waiting caller and retried by the next one', async () => {
    let fail = true;
    const cache = new AccessTokenCache({
      fetch: async () => {
        if (fail) throw new Error('no credentials');
        return { value: 'ok', expiresAt: Date.now() + 3_600_000 };
      },
    });
    await expect(cache.get()).rejects.toThrow('no credentials');
    fail = false;
    expect(await cache.get()).toBe('ok');
  });
});
