// Which alerts an account's current state has crossed: pure (state and clock in, crossings out), so each one is
// decided the same way on every replica. Each crossing carries a claim key naming it exactly once: (subject,
// period, threshold) for budgets, (subject, threshold, credit episode) for balances. The store claims it once.
import { formatUsd } from '../accounts/money.js';
import { dayKey, monthKey, msUntilNextDay, msUntilNextMonth } from '../accounts/periods.js';
import type { Budgets, KeyUsage } from '../accounts/types.js';
import type { AlertEventType } from './alerts-config.js';

export interface AlertSubject {
  type: 'key' | 'team';
  id: string;
  name: string;
  teamId?: string;
  budgets: Budgets;
  /** has a prepaid balance */
  credits: boolean;
}

export type BudgetPeriod = 'daily' | 'monthly' | 'total';

/** What the configured webhooks want (the union over them). */
export interface AlertWants {
  thresholds: readonly number[];
  lowBalanceNanos: readonly bigint[];
}

export interface Crossing {
  /** unique per crossing: the store claims it once across replicas */
  claim: string;
  type: AlertEventType;
  /** the percent of a `budget.threshold`, for webhooks subscribed to some thresholds only */
  thresholdPercent?: number;
  /** the threshold of a `balance.low` */
  lowBalanceNanos?: bigint;
  /** when the claim may be pruned: a day after its period ended (absent: total budgets and balances, kept) */
  expiresAt?: number;
  data: Record<string, unknown>;
}

export interface AccountState {
  usage: KeyUsage;
  now: number;
  /** A request was refused for this reason since the last check (`credits` or a budget period). */
  refused?: 'credits' | BudgetPeriod;
  /**
   * Identifies the balance's current episode (the account's credited total): a top-up starts a new one, so
   * `balance.low` fires again after the next fall. Needed only when `needsCreditEpisode` says so.
   */
  creditEpisode?: string;
}

const DAY_MS = 86_400_000;

function periods(b: Budgets, u: KeyUsage, now: number) {
  const out: { period: BudgetPeriod; key: string; spent: bigint; limit: bigint; expiresAt?: number }[] = [];
  if (b.dailyNanos !== undefined) {
    const expiresAt = now + msUntilNextDay(now) + DAY_MS;
    out.push({ period: 'daily', key: dayKey(now), spent: u.spentDayNanos, limit: b.dailyNanos, expiresAt });
  }
  if (b.monthlyNanos !== undefined) {
    const expiresAt = now + msUntilNextMonth(now) + DAY_MS;
    out.push({ period: 'monthly', key: monthKey(now), spent: u.spentMonthNanos, limit: b.monthlyNanos, expiresAt });
  }
  if (b.totalNanos !== undefined) out.push({ period: 'total', key: 'total', spent: u.spentNanos, limit: b.totalNanos });
  return out;
}

/** The balance alerts need the credit episode (one extra store read) only when the balance is low or refused. */
export function needsCreditEpisode(s: AlertSubject, u: KeyUsage, wants: AlertWants, refused?: string): boolean {
  if (!s.credits || u.balanceNanos === null) return false;
  const bal = u.balanceNanos;
  return refused === 'credits' || bal <= 0n || wants.lowBalanceNanos.some((t) => bal < t);
}

export function crossings(s: AlertSubject, st: AccountState, wants: AlertWants): Crossing[] {
  const out: Crossing[] = [];
  const subject = { type: s.type, id: s.id, name: s.name, ...(s.teamId !== undefined && { team_id: s.teamId }) };
  const exhausted: AlertEventType = s.type === 'key' ? 'key.exhausted' : 'team.exhausted';
  for (const p of periods(s.budgets, st.usage, st.now)) {
    if (p.limit <= 0n) continue; // a zero budget allows nothing: there is no use to warn about
    const money = { spent_usd: formatUsd(p.spent), budget_usd: formatUsd(p.limit) };
    for (const pct of wants.thresholds) {
      if (p.spent * 100n < p.limit * BigInt(pct)) continue;
      out.push({
        claim: `budget.threshold:${s.id}:${p.period}:${p.key}:${pct}`,
        type: 'budget.threshold',
        thresholdPercent: pct,
        ...(p.expiresAt !== undefined && { expiresAt: p.expiresAt }),
        data: { subject, period: p.period, period_key: p.key, threshold_percent: pct, ...money },
      });
    }
    if (p.spent >= p.limit || st.refused === p.period) {
      out.push({
        claim: `${exhausted}:${s.id}:budget_${p.period}:${p.key}`,
        type: exhausted,
        ...(p.expiresAt !== undefined && { expiresAt: p.expiresAt }),
        data: { subject, reason: `budget_${p.period}`, period: p.period, period_key: p.key, ...money },
      });
    }
  }
  const bal = st.usage.balanceNanos;
  if (s.credits && bal !== null && st.creditEpisode !== undefined) {
    for (const t of wants.lowBalanceNanos) {
      if (bal >= t) continue;
      out.push({
        claim: `balance.low:${s.id}:${t}:${st.creditEpisode}`,
        type: 'balance.low',
        lowBalanceNanos: t,
        data: { subject, balance_usd: formatUsd(bal), threshold_usd: formatUsd(t) },
      });
    }
    if (bal <= 0n || st.refused === 'credits') {
      out.push({
        claim: `${exhausted}:${s.id}:credits:${st.creditEpisode}`,
        type: exhausted,
        data: { subject, reason: 'credits', balance_usd: formatUsd(bal) },
      });
    }
  }
  return out;
}
