import { describe, expect, it } from 'vitest';
import { accountGaugesFrom } from './account-gauges.js';

describe('accountGaugesFrom', () => {
  it('maps balances and budget use (reservations count as used) per key', async () => {
    const read = accountGaugesFrom({
      listKeys: async () => [
        { id: 'k1', budgets: { dailyNanos: 1_000_000_000n, monthlyNanos: 10_000_000_000n } },
        { id: 'k2', budgets: {} },
      ],
      usage: async (id) =>
        id === 'k1'
          ? {
              balanceNanos: null,
              reservedNanos: 100_000_000n,
              spentNanos: 0n,
              spentDayNanos: 700_000_000n,
              spentMonthNanos: 2_000_000_000n,
            }
          : { balanceNanos: 5_000_000_000n, reservedNanos: 0n, spentNanos: 0n, spentDayNanos: 0n, spentMonthNanos: 0n },
    });
    expect(await read()).toEqual({
      keys: [
        {
          keyId: 'k1',
          budgets: [
            { period: 'day', usedRatio: 0.8 },
            { period: 'month', usedRatio: 0.21 },
          ],
        },
        { keyId: 'k2', creditsRemainingNanos: 5_000_000_000n },
      ],
    });
  });

  it('sums open reservations across keys when the store counts them', async () => {
    const usage = (open?: number) => ({
      balanceNanos: null,
      reservedNanos: 0n,
      spentNanos: 0n,
      spentDayNanos: 0n,
      spentMonthNanos: 0n,
      ...(open !== undefined && { openReservations: open }),
    });
    const keys = async () => [
      { id: 'k1', budgets: {} },
      { id: 'k2', budgets: {} },
    ];
    const counted = accountGaugesFrom({ listKeys: keys, usage: async (id) => usage(id === 'k1' ? 2 : 3) });
    expect((await counted()).reservationsOpen).toBe(5);
    const uncounted = accountGaugesFrom({ listKeys: keys, usage: async () => usage() });
    expect(await uncounted()).not.toHaveProperty('reservationsOpen');
  });
});
