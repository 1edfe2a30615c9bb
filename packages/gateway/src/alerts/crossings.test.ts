import { describe, expect, it } from 'vitest';
import type { KeyUsage } from '../accounts/types.js';
import { type AlertSubject, crossings, needsCreditEpisode } from './crossings.js';
import { backoffMs } from './webhook-delivery.js';

const USD = 1_000_000_000n;
const NOW = Date.UTC(2026, 11, 6, 12);
const wants = { thresholds: [50, 80, 100], lowBalanceNanos: [5n * USD] };

function usage(over: Partial<KeyUsage> = {}): KeyUsage {
  return { balanceNanos: null, reservedNanos: 0n, spentNanos: 0n, spentDayNanos: 0n, spentMonthNanos: 0n, ...over };
}

const key: AlertSubject = { type: 'key', id: 'key_1', name: 'k', budgets: { dailyNanos: 10n * USD }, credits: false };
const claims = (s: AlertSubject, u: KeyUsage, extra = {}) =>
  crossings(s, { usage: u, now: NOW, ...extra }, wants).map((c) => c.claim);

describe('crossings', () => {
  it('none below the first threshold', () => {
    expect(claims(key, usage({ spentDayNanos: 5n * USD - 1n }))).toEqual([]);
  });

  it('each threshold at exactly its percent, per period key; 100 % also exhausts the key', () => {
    expect(claims(key, usage({ spentDayNanos: 5n * USD }))).toEqual(['budget.threshold:key_1:daily:20261206:50']);
    expect(claims(key, usage({ spentDayNanos: 8n * USD }))).toHaveLength(2);
    expect(claims(key, usage({ spentDayNanos: 10n * USD }))).toEqual([
      'budget.threshold:key_1:daily:20261206:50',
      'budget.threshold:key_1:daily:20261206:80',
      'budget.threshold:key_1:daily:20261206:100',
      'key.exhausted:key_1:budget_daily:20261206',
    ]);
  });

  it('daily claims expire a day after the day ends, monthly a day after the month; total ones never', () => {
    const both: AlertSubject = {
      ...key,
      budgets: { dailyNanos: 10n * USD, monthlyNanos: 10n * USD, totalNanos: 10n * USD },
    };
    const c = crossings(
      both,
      { usage: usage({ spentDayNanos: 5n * USD, spentMonthNanos: 5n * USD, spentNanos: 5n * USD }), now: NOW },
      wants,
    );
    expect(c.map((x) => [x.claim.split(':')[2], x.expiresAt])).toEqual([
      ['daily', Date.UTC(2026, 11, 8)],
      ['monthly', Date.UTC(2027, 0, 2)],
      ['total', undefined],
    ]);
  });

  it('the next day is a new period (new claims)', () => {
    const next = crossings(key, { usage: usage({ spentDayNanos: 5n * USD }), now: NOW + 86_400_000 }, wants);
    expect(next.map((c) => c.claim)).toEqual(['budget.threshold:key_1:daily:20261207:50']);
  });

  it('monthly and total budgets of a team; data in USD strings', () => {
    const team: AlertSubject = {
      type: 'team',
      id: 'team_1',
      name: 'ml',
      budgets: { monthlyNanos: 100n * USD, totalNanos: 1000n * USD },
      credits: false,
    };
    const c = crossings(team, { usage: usage({ spentMonthNanos: 80n * USD, spentNanos: 80n * USD }), now: NOW }, wants);
    expect(c.map((x) => x.claim)).toEqual([
      'budget.threshold:team_1:monthly:202612:50',
      'budget.threshold:team_1:monthly:202612:80',
    ]);
    expect(c[1]?.data).toEqual({
      subject: { type: 'team', id: 'team_1', name: 'ml' },
      period: 'monthly',
      period_key: '202612',
      threshold_percent: 80,
      spent_usd: '80.00',
      budget_usd: '100.00',
    });
  });

  it('a refusal for a budget exhausts it even below 100 %', () => {
    expect(claims(key, usage({ spentDayNanos: 9n * USD }), { refused: 'daily' })).toContain(
      'key.exhausted:key_1:budget_daily:20261206',
    );
  });

  it('low balance and exhaustion per credit episode; the episode is read only when needed', () => {
    const paid: AlertSubject = { ...key, budgets: {}, credits: true };
    expect(needsCreditEpisode(paid, usage({ balanceNanos: 6n * USD }), wants)).toBe(false);
    expect(needsCreditEpisode(paid, usage({ balanceNanos: 6n * USD }), wants, 'credits')).toBe(true);
    expect(needsCreditEpisode(paid, usage({ balanceNanos: 4n * USD }), wants)).toBe(true);
    expect(needsCreditEpisode(key, usage({ balanceNanos: null }), wants)).toBe(false);
    expect(claims(paid, usage({ balanceNanos: 4n * USD }), { creditEpisode: '20000000000' })).toEqual([
      'balance.low:key_1:5000000000:20000000000',
    ]);
    expect(claims(paid, usage({ balanceNanos: 0n }), { creditEpisode: '30000000000' })).toEqual([
      'balance.low:key_1:5000000000:30000000000',
      'key.exhausted:key_1:credits:30000000000',
    ]);
  });

  it('a zero budget never warns', () => {
    expect(claims({ ...key, budgets: { dailyNanos: 0n } }, usage({ spentDayNanos: 1n }))).toEqual([]);
  });
});

describe('backoff', () => {
  it('full jitter under an exponential cap', () => {
    expect(backoffMs(1, 100, 10_000, () => 0.999)).toBe(99);
    expect(backoffMs(4, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffMs(20, 100, 10_000, () => 0.5)).toBe(5_000);
    expect(backoffMs(3, 100, 10_000, () => 0)).toBe(0);
  });
});
