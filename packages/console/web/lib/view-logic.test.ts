import { describe, expect, it } from 'vitest';
import { attemptsCell, attemptsText } from './attempts.js';
import { exactMoney, formatExact, formatMoney, money, sumUsd, usdToNanos } from './money.js';
import { errorRate, monthBounds, projectMonth } from './projection.js';
import { emptyFilters, filtersFrom, ledgerQuery } from './query.js';
import { type SeriesRow, toChart, totalsSince } from './series.js';

describe('money', () => {
  it('parses the API’s USD strings to exact nano-USD', () => {
    expect(usdToNanos('12.50')).toBe(12_500_000_000n);
    expect(usdToNanos('0.000000001')).toBe(1n);
    expect(usdToNanos('-0.000775')).toBe(-775_000n);
    expect(usdToNanos('7')).toBe(7_000_000_000n);
    expect(() => usdToNanos('1e3')).toThrow();
    expect(() => usdToNanos('0.0000000001')).toThrow();
    // 0.1 + 0.2 is exactly 0.3 here, and a million small costs add up with no drift
    expect(sumUsd(['0.1', '0.2', null])).toBe(usdToNanos('0.3'));
    expect(sumUsd(Array.from({ length: 1_000_000 }, () => '0.000000001'))).toBe(1_000_000n);
  });

  it('formats cents from one cent up, micro-dollars below, with signs and grouping', () => {
    expect(formatMoney(0n)).toBe('$0.00');
    expect(formatMoney(usdToNanos('1234567.891'))).toBe('$1,234,567.89');
    expect(formatMoney(usdToNanos('0.005'))).toBe('$0.005');
    expect(formatMoney(usdToNanos('0.01'))).toBe('$0.01');
    expect(formatMoney(usdToNanos('0.0149999'))).toBe('$0.01');
    expect(formatMoney(usdToNanos('0.015'))).toBe('$0.02');
    expect(formatMoney(usdToNanos('0.0000775'))).toBe('$0.000078');
    expect(formatMoney(300n)).toBe('<$0.000001');
    expect(formatMoney(usdToNanos('-2.5'))).toBe('-$2.50');
    expect(money(null)).toBe('—');
    expect(money('3.1')).toBe('$3.10');
  });

  it('shows balances to the nano-dollar', () => {
    expect(formatExact(usdToNanos('49.998639'))).toBe('$49.998639');
    expect(formatExact(usdToNanos('1234.5'))).toBe('$1,234.50');
    expect(formatExact(1n)).toBe('$0.000000001');
    expect(formatExact(usdToNanos('-0.25'))).toBe('-$0.25');
    expect(exactMoney(null)).toBe('—');
  });
});

describe('burn rate and projection', () => {
  it('continues month-to-date spend at its daily average to the month’s end (UTC)', () => {
    const now = Date.UTC(2026, 10, 11); // 10 days into a 30-day November
    expect(monthBounds(now)).toEqual({ start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 11, 1) });
    const p = projectMonth(usdToNanos('100'), now);
    expect(p.burnPerDayNanos).toBe(usdToNanos('10'));
    expect(p.projectedNanos).toBe(usdToNanos('300'));
  });

  it('is not thrown off in the first minutes of a month', () => {
    const now = Date.UTC(2026, 11, 1, 0, 1); // one minute into December (31 days)
    const p = projectMonth(usdToNanos('1'), now); // treated as one hour elapsed
    expect(p.burnPerDayNanos).toBe(usdToNanos('24'));
    expect(p.projectedNanos).toBe(usdToNanos('744'));
    expect(projectMonth(0n, now).projectedNanos).toBe(0n);
  });

  it('error rate', () => {
    expect(errorRate(0, 0)).toBe('—');
    expect(errorRate(8, 1)).toBe('12.5 %');
  });
});

describe('ledger filters → query string', () => {
  it('leaves out empty fields, trims, encodes and makes the to-day inclusive', () => {
    expect(ledgerQuery(emptyFilters())).toBe('');
    const f = {
      ...emptyFilters(),
      model: ' gpt-4o ',
      tag: 'a&b',
      from: '2026-11-01',
      to: '2026-11-30',
      kind: 'call' as const,
    };
    expect(ledgerQuery(f, { limit: 50, before: undefined })).toBe(
      '?model=gpt-4o&tag=a%26b&kind=call&from=2026-11-01T00%3A00%3A00Z&to=2026-12-01T00%3A00%3A00Z&limit=50',
    );
    expect(ledgerQuery({ ...emptyFilters(), from: 'yesterday' })).toBe('');
    expect(filtersFrom('?key_id=key_1&kind=credit&bogus=1')).toMatchObject({ key_id: 'key_1', kind: 'credit' });
  });
});

describe('spend series → chart', () => {
  const day = 86_400_000;
  const from = Date.UTC(2026, 10, 1);
  const row = (d: number, provider: string, cost: string, requests = 1, errors = 0): SeriesRow => ({
    bucket: new Date(from + d * day).toISOString(),
    provider,
    requests,
    errors,
    cost_usd: cost,
  });
  const rows = [row(0, 'openai', '1.5'), row(2, 'openai', '0.5', 3, 1), row(2, 'anthropic', '4', 2)];

  it('fills empty buckets with 0 and orders groups by total cost', () => {
    const c = toChart(rows, 'provider', from, from + 3 * day, day);
    expect(c.x).toEqual([0, 1, 2].map((d) => (from + d * day) / 1000));
    expect(c.groups).toEqual(['anthropic', 'openai']);
    expect(c.y).toEqual([
      [0, 0, 4],
      [1.5, 0, 0.5],
    ]);
  });

  it('totals since a time', () => {
    expect(totalsSince(rows, from + 2 * day)).toEqual({ costNanos: usdToNanos('4.5'), calls: 5, errors: 1 });
    expect(totalsSince(rows, 0).costNanos).toBe(usdToNanos('6'));
  });
});

describe('attempts of a call', () => {
  it('says how many upstream calls it took, none for a cache hit, and when it was not recorded', () => {
    expect(attemptsText(1)).toBe('1');
    expect(attemptsText(2)).toBe('2 (retries, fallbacks or hedges)');
    expect(attemptsText(0)).toBe('none (cache hit)');
    expect(attemptsText(null)).toBe('not recorded');
    expect(attemptsText(undefined)).toBe('not recorded');
  });

  it('the ledger table shows the bare count, a cache hit as 0, and a dash for rows before migration 7', () => {
    expect(attemptsCell(3)).toBe('3');
    expect(attemptsCell(0)).toBe('0');
    expect(attemptsCell(null)).toBe('—');
    expect(attemptsCell(undefined)).toBe('—');
  });
});
