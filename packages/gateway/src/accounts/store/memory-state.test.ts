import { describe, expect, it } from 'vitest';
import { endUserAccount } from '../end-users.js';
import type { KeyRecord } from '../types.js';
import { type AccountState, MemoryState } from './memory-state.js';

const key: KeyRecord = {
  id: 'key_a',
  hash: 'h',
  hint: 'sk-sy-…a',
  name: 'a',
  credits: false,
  budgets: {},
  models: [],
  tags: [],
  enabled: true,
  createdAt: 0,
};

describe('MemoryState end-user accounts', () => {
  it('evicts only idle end users with nothing open, and reloads them with their spend', () => {
    const loads: string[] = [];
    const spent = new Map<string, bigint>();
    const mem = new MemoryState((id): AccountState => {
      loads.push(id);
      const s = spent.get(id) ?? 0n;
      return {
        balance: null,
        reserved: 0n,
        spentTotal: s,
        day: '',
        spentDay: s,
        month: '',
        spentMonth: s,
        open: new Map(),
      };
    });
    const t0 = Date.UTC(2026, 11, 6, 12);
    const limits = { budgets: { totalNanos: 100n }, rpm: 10 };
    const admit = (user: string, id: string, now: number) =>
      mem.reserve({
        key,
        endUser: { account: endUserAccount('key_a', 0, user), limits },
        reservationId: id,
        amountNanos: 60n,
        tokens: 1,
        ttlMs: 600_000,
        now,
      });
    const idle = admit('idle', 'r1', t0);
    expect(idle.ok).toBe(true);
    if (!idle.ok) return;
    mem.settle(idle.reservation, { ...entry('r1'), costNanos: 60n }, () => undefined, t0);
    spent.set(endUserAccount('key_a', 0, 'idle'), 60n); // what the ledger now holds
    expect(admit('busy', 'r2', t0).ok).toBe(true); // stays open

    mem.evictIdleEndUsers(t0 + 30_000, mem.settles, 1); // idle for 30 s only: its RPM bucket is not full yet
    const loaded = loads.length;
    mem.usage(endUserAccount('key_a', 0, 'idle'), t0 + 30_000);
    expect(loads.length).toBe(loaded); // still in memory
    // Idle long enough, but its settle is not in the ledger yet (a batch still being written): kept, since a
    // reload would miss that row and let the end user spend its 60 again.
    mem.evictIdleEndUsers(t0 + 61_000, mem.settles - 1, 1);
    mem.usage(endUserAccount('key_a', 0, 'idle'), t0 + 61_000);
    expect(loads.length).toBe(loaded);
    mem.evictIdleEndUsers(t0 + 62_000, mem.settles, 1);
    expect(mem.usage(endUserAccount('key_a', 0, 'busy'), t0 + 61_000).reservedNanos).toBe(60n); // never evicted
    const before = loads.length;
    // reloaded from the ledger: its 60 spent still count against the total of 100
    expect(admit('idle', 'r3', t0 + 62_000)).toMatchObject({ ok: false, reason: 'end_user_budget_total' });
    expect(loads.length).toBe(before + 1);
  });
});

describe('MemoryState reaping of expired reservations', () => {
  const fresh = (): AccountState => ({
    balance: 1000n,
    reserved: 0n,
    spentTotal: 0n,
    day: '',
    spentDay: 0n,
    month: '',
    spentMonth: 0n,
    open: new Map(),
  });
  const credited = { ...key, credits: true };

  it('releases each reservation once its own TTL has passed, not before, whatever order they were made in', () => {
    const mem = new MemoryState(fresh);
    const t0 = Date.UTC(2026, 11, 6, 12);
    const reserve = (id: string, now: number, ttlMs: number, amountNanos = 100n) =>
      mem.reserve({ key: credited, reservationId: id, amountNanos, tokens: 1, ttlMs, now });
    expect(reserve('long', t0, 10_000).ok).toBe(true);
    expect(reserve('short', t0 + 1_000, 2_000).ok).toBe(true); // expires first, though made later
    expect(mem.usage('key_a', t0 + 2_999)).toMatchObject({ reservedNanos: 200n, openReservations: 2 });
    expect(mem.usage('key_a', t0 + 3_000)).toMatchObject({ reservedNanos: 100n, openReservations: 1 });
    expect(reserve('later', t0 + 4_000, 1_000).ok).toBe(true); // expires at t0 + 5000, before `long`
    expect(mem.reapAll(t0 + 4_999)).toBe(0);
    expect(mem.reapAll(t0 + 5_000)).toBe(1);
    expect(mem.usage('key_a', t0 + 9_999)).toMatchObject({ reservedNanos: 100n, openReservations: 1 });
    expect(mem.usage('key_a', t0 + 10_000)).toMatchObject({ reservedNanos: 0n, openReservations: 0 });
    // The balance was never debited by an expiry: a full-balance reservation fits again.
    expect(reserve('all', t0 + 10_001, 1_000, 1000n).ok).toBe(true);
    expect(reserve('more', t0 + 10_002, 1_000, 1n)).toMatchObject({ ok: false, reason: 'insufficient_credits' });
  });
});

function entry(requestId: string) {
  return {
    requestId,
    keyId: 'key_a',
    costNanos: 0n,
    debitNanos: 0n,
    unknownPrice: false,
    outcome: 'ok' as const,
    startedAt: 0,
    settledAt: 0,
  };
}
