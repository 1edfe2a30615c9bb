// Reads credits and budget use from the accounts store at scrape time (`TelemetryHooks.accountGauges`).
// Only the store's public read methods are used; money stays integer nanos until the gauge edge.
import type { Budgets, KeyUsage } from '../accounts/types.js';
import type { AccountGauges, KeyAccountGauge, TeamAccountGauge } from './hooks.js';

/** The slice of the accounts store this needs (structurally `AccountStore`). */
export interface AccountsReader {
  listKeys(): Promise<Array<{ id: string; budgets: Budgets }>>;
  listTeams?(): Promise<Array<{ id: string; budgets: Budgets; enabled: boolean }>>;
  usage(keyId: string, now: number): Promise<KeyUsage>;
  quarantined?(): number;
}

/** used / limit with reservations counted as used (what admission checks against). */
function ratio(usedNanos: bigint, limitNanos: bigint): number {
  if (limitNanos <= 0n) return usedNanos > 0n ? Number.POSITIVE_INFINITY : 0;
  // Scale before dividing so the ratio keeps 6 digits without float sums.
  return Number((usedNanos * 1_000_000n) / limitNanos) / 1_000_000;
}

/** Each configured period's used share (settled + reserved, what admission checks against). */
function budgetRatios(b: Budgets, u: KeyUsage): Array<{ period: string; usedRatio: number }> {
  const out: Array<{ period: string; usedRatio: number }> = [];
  if (b.dailyNanos !== undefined)
    out.push({ period: 'day', usedRatio: ratio(u.spentDayNanos + u.reservedNanos, b.dailyNanos) });
  if (b.monthlyNanos !== undefined)
    out.push({ period: 'month', usedRatio: ratio(u.spentMonthNanos + u.reservedNanos, b.monthlyNanos) });
  if (b.totalNanos !== undefined)
    out.push({ period: 'total', usedRatio: ratio(u.spentNanos + u.reservedNanos, b.totalNanos) });
  return out;
}

async function teamGauges(store: AccountsReader, now: number): Promise<TeamAccountGauge[] | undefined> {
  if (!store.listTeams) return undefined;
  const teams = (await store.listTeams()).filter((t) => t.enabled);
  return Promise.all(
    teams.map(async (t) => {
      const u = await store.usage(t.id, now);
      const budgets = budgetRatios(t.budgets, u);
      return {
        teamId: t.id,
        ...(u.balanceNanos !== null && { creditsRemainingNanos: u.balanceNanos }),
        spentNanos: { day: u.spentDayNanos, month: u.spentMonthNanos, total: u.spentNanos },
        ...(budgets.length && { budgets }),
      };
    }),
  );
}

export function accountGaugesFrom(store: AccountsReader, now: () => number = Date.now): () => Promise<AccountGauges> {
  return async () => {
    const keys = await store.listKeys();
    // Summed from the per-key reads the gauges need anyway: no extra store round trip.
    let reservationsOpen: number | undefined;
    const out: KeyAccountGauge[] = await Promise.all(
      keys.map(async (k) => {
        const u = await store.usage(k.id, now());
        if (u.openReservations !== undefined) reservationsOpen = (reservationsOpen ?? 0) + u.openReservations;
        const budgets = budgetRatios(k.budgets, u);
        return {
          keyId: k.id,
          ...(u.balanceNanos !== null ? { creditsRemainingNanos: u.balanceNanos } : {}),
          ...(budgets.length ? { budgets } : {}),
        };
      }),
    );
    const teams = await teamGauges(store, now());
    return {
      keys: out,
      ...(teams && { teams }),
      ...(reservationsOpen !== undefined && { reservationsOpen }),
      ...(store.quarantined && { ledgerQuarantined: store.quarantined() }),
    };
  };
}
