import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { accountGaugesFrom } from './account-gauges.js';
import { createLabelCap } from './label-cap.js';
import { createTeamGauges } from './team-gauges.js';

const USD = 1_000_000_000n;
const usage = (balance: bigint | null, day: bigint) => ({
  balanceNanos: balance,
  reservedNanos: 0n,
  spentNanos: day * 3n,
  spentDayNanos: day,
  spentMonthNanos: day * 2n,
});

describe('team gauges', () => {
  it('reads enabled teams from the store: pool, spend per period, budget use', async () => {
    const read = accountGaugesFrom({
      listKeys: async () => [],
      listTeams: async () => [
        { id: 'team_a', budgets: { dailyNanos: 4n * USD }, enabled: true },
        { id: 'team_off', budgets: {}, enabled: false },
      ],
      usage: async () => usage(10n * USD, 1n * USD),
    });
    expect((await read()).teams).toEqual([
      {
        teamId: 'team_a',
        creditsRemainingNanos: 10n * USD,
        spentNanos: { day: USD, month: 2n * USD, total: 3n * USD },
        budgets: [{ period: 'day', usedRatio: 0.25 }],
      },
    ]);
  });

  it('labels by team id up to the cap; the rest sum (spend, credits) or take the worst (budget) as other', async () => {
    const registry = new Registry();
    const teams = ['team_a', 'team_b', 'team_c'].map((teamId, i) => ({
      teamId,
      creditsRemainingNanos: BigInt(i + 1) * USD,
      spentNanos: { day: USD, month: USD, total: USD },
      budgets: [{ period: 'day', usedRatio: 0.1 * (i + 1) }],
    }));
    createTeamGauges([registry], async () => ({ keys: [], teams }), createLabelCap(1));
    const text = await registry.metrics();
    expect(text).toContain('switchyard_team_credits_remaining_usd{team="team_a"} 1');
    expect(text).toContain('switchyard_team_credits_remaining_usd{team="other"} 5');
    expect(text).toContain('switchyard_team_spent_usd{team="other",period="day"} 2');
    expect(text).toMatch(/switchyard_team_budget_used_ratio\{team="other",period="day"\} 0\.3/);
    expect(text).not.toContain('"team_b"');
  });
});
