// Per-team gauges (balance, spend, budget use) read at scrape time. The `team` label is a team id, capped: past
// `maxTeams` distinct ids the rest collapse into `other` (credits and spend summed, budget use the worst).
import { Gauge, type Registry } from 'prom-client';
import type { AccountGauges } from './hooks.js';
import type { LabelCap } from './label-cap.js';

const usd = (nanos: bigint) => Number(nanos) / 1e9;

export function createTeamGauges(
  registers: Registry[],
  read: () => Promise<AccountGauges | undefined>,
  teams: LabelCap,
) {
  const snapshot = async () => (await read())?.teams;
  /** Values per (capped team label, period), combined by `merge` where teams collapse into `other`. */
  function byTeamAndPeriod<T>(
    rows: ReadonlyArray<readonly [teamId: string, period: string, value: T]>,
    merge: (a: T, b: T) => T,
  ): [team: string, period: string, value: T][] {
    const out = new Map<string, [string, string, T]>();
    for (const [teamId, period, value] of rows) {
      const team = teams.label(teamId);
      const id = `${team}\u0000${period}`;
      const seen = out.get(id);
      out.set(id, [team, period, seen ? merge(seen[2], value) : value]);
    }
    return [...out.values()];
  }
  const credits = new Gauge({
    name: 'switchyard_team_credits_remaining_usd',
    help: 'A team\'s pooled prepaid credits left in USD, by team id (capped; the rest sum into team="other").',
    labelNames: ['team'] as const,
    registers,
    async collect() {
      const snap = await snapshot();
      if (!snap) return;
      this.reset();
      const sums = new Map<string, bigint>();
      for (const t of snap) {
        if (t.creditsRemainingNanos === undefined) continue;
        const team = teams.label(t.teamId);
        sums.set(team, (sums.get(team) ?? 0n) + t.creditsRemainingNanos);
      }
      for (const [team, nanos] of sums) this.set({ team }, usd(nanos));
    },
  });
  const spent = new Gauge({
    name: 'switchyard_team_spent_usd',
    help: "USD spent by a team's keys in the current period (day, month, total), by team id (capped).",
    labelNames: ['team', 'period'] as const,
    registers,
    async collect() {
      const snap = await snapshot();
      if (!snap) return;
      this.reset();
      const sums = byTeamAndPeriod(
        snap.flatMap((t) => Object.entries(t.spentNanos).map(([period, nanos]) => [t.teamId, period, nanos] as const)),
        (a: bigint, b: bigint) => a + b,
      );
      for (const [team, period, nanos] of sums) this.set({ team, period }, usd(nanos));
    },
  });
  const budget = new Gauge({
    name: 'switchyard_team_budget_used_ratio',
    help: 'Team budget used / limit per period (settled + reserved), by team id (capped; other = the worst).',
    labelNames: ['team', 'period'] as const,
    registers,
    async collect() {
      const snap = await snapshot();
      if (!snap) return;
      this.reset();
      const worst = byTeamAndPeriod(
        snap.flatMap((t) => (t.budgets ?? []).map((b) => [t.teamId, b.period, b.usedRatio] as const)),
        Math.max,
      );
      for (const [team, period, ratio] of worst) this.set({ team, period }, ratio);
    },
  });
  return { credits, spent, budget };
}
