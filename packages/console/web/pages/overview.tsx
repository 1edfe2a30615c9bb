// Overview: spend today / this month, burn rate and projected month-end, spend by provider and by model over
// time, credits left per team, calls and error rate.
import { SpendChart } from '../components/chart.js';
import { ErrorBanner, Pending, useLoad } from '../components/ui.js';
import { admin } from '../lib/api.js';
import { exactMoney, formatMoney, money } from '../lib/money.js';
import { dayStart, errorRate, monthBounds, projectMonth } from '../lib/projection.js';
import { type SeriesRow, toChart, totalsSince } from '../lib/series.js';
import type { Team } from '../lib/types.js';

const DAY = 86_400_000;
/** Teams whose balances the overview fetches (one request each). */
const MAX_TEAMS = 20;

interface Series {
  data: SeriesRow[];
}

async function loadOverview() {
  const now = Date.now();
  const { start } = monthBounds(now);
  const from = Math.min(start, dayStart(now) - 29 * DAY);
  const range = `interval=day&from=${new Date(from).toISOString()}`;
  const [byProvider, byModel, teams] = await Promise.all([
    admin.get<Series>(`/spend/series?group_by=provider&${range}`),
    admin.get<Series>(`/spend/series?group_by=model&${range}`),
    admin.get<{ data: Team[] }>('/teams'),
  ]);
  const detailed = await Promise.all(teams.data.slice(0, MAX_TEAMS).map((t) => admin.get<Team>(`/teams/${t.id}`)));
  return {
    now,
    from,
    byProvider: byProvider.data,
    byModel: byModel.data,
    teams: detailed,
    teamCount: teams.data.length,
  };
}

export function Overview() {
  const { data, error, loading, reload } = useLoad(loadOverview);
  if (!data) return <Pending loading={loading} error={error} />;
  const { start } = monthBounds(data.now);
  const today = totalsSince(data.byProvider, dayStart(data.now));
  const month = totalsSince(data.byProvider, start);
  const p = projectMonth(month.costNanos, data.now);
  const to = dayStart(data.now) + DAY;
  return (
    <section aria-labelledby="overview-h">
      <div class="page-head">
        <h1 id="overview-h">Overview</h1>
        <button type="button" onClick={reload} disabled={loading}>
          {loading ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <ErrorBanner error={error} />
      <dl class="stats">
        <Stat label="Spend today (UTC)" value={formatMoney(today.costNanos)} />
        <Stat label="Spend this month" value={formatMoney(month.costNanos)} />
        <Stat label="Burn rate (per day, month average)" value={formatMoney(p.burnPerDayNanos)} />
        <Stat label="Projected month-end" value={formatMoney(p.projectedNanos)} />
        <Stat label="Calls today" value={String(today.calls)} />
        <Stat label="Error rate today" value={errorRate(today.calls, today.errors)} />
        <Stat label="Calls this month" value={String(month.calls)} />
        <Stat label="Error rate this month" value={errorRate(month.calls, month.errors)} />
      </dl>
      <div class="grid2">
        <SpendChart
          title="Spend by provider per day (USD, last 30 days)"
          data={toChart(data.byProvider, 'provider', data.from, to, DAY)}
          daily
        />
        <SpendChart
          title="Spend by model per day (USD, last 30 days)"
          data={toChart(data.byModel, 'model', data.from, to, DAY)}
          daily
        />
      </div>
      <h2>Credits remaining by team</h2>
      {data.teams.length === 0 ? (
        <p class="muted">No teams yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Credits remaining
                </th>
                <th scope="col" class="num">
                  Spent this month
                </th>
              </tr>
            </thead>
            <tbody>
              {data.teams.map((t) => (
                <tr key={t.id}>
                  <td>
                    <a href={`#/teams/${t.id}`}>{t.name}</a>
                  </td>
                  <td>{t.status}</td>
                  <td class="num">{t.credits ? exactMoney(t.balance_usd) : 'no pool'}</td>
                  <td class="num">{money(t.spent_this_month_usd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.teamCount > MAX_TEAMS && (
            <p class="muted">
              Showing {MAX_TEAMS} of {data.teamCount} teams; see <a href="#/teams">Teams and keys</a>.
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
