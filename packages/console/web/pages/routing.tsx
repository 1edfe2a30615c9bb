// Routing health: each route's targets with live breaker state, first-byte latency and rate-limit holds.
import { useEffect } from 'preact/hooks';
import { ErrorBanner, Pending, useLoad, when } from '../components/ui.js';
import { admin } from '../lib/api.js';
import type { RouteView } from '../lib/types.js';

const REFRESH_MS = 5000;

interface Breaker {
  target: string;
  state: string;
  consecutive_failures: number;
  opened_at: string | null;
}

export function Routing() {
  const state = useLoad(async () => {
    const [routes, breakers, limits] = await Promise.all([
      admin.get<{ data: RouteView[] }>('/routes'),
      admin.get<{ data: Breaker[] }>('/breakers'),
      admin.get<{ data: { target: string; until: string }[] }>('/rate-limits'),
    ]);
    return { routes: routes.data, breakers: breakers.data, limits: limits.data, at: new Date().toISOString() };
  });
  const { reload } = state;
  useEffect(() => {
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);
  const d = state.data;
  if (!d) return <Pending loading={state.loading} error={state.error} />;
  return (
    <section aria-labelledby="routing-h">
      <h1 id="routing-h">Routing</h1>
      <p class="muted">
        Live; refreshed every {REFRESH_MS / 1000} s (last {when(d.at)} UTC).
      </p>
      <ErrorBanner error={state.error} />
      <h2>Routes</h2>
      {d.routes.length === 0 && <p class="muted">No routes configured: clients name provider/model directly.</p>}
      {d.routes.map((r) => (
        <div class="table-wrap" key={r.route}>
          <table>
            <caption>
              <strong>{r.route}</strong> · {r.strategy}
            </caption>
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">Breaker</th>
                <th scope="col" class="num">
                  p50 / p95 first byte
                </th>
                <th scope="col" class="num">
                  Samples
                </th>
                <th scope="col">Rate-limited until</th>
              </tr>
            </thead>
            <tbody>
              {r.targets.map((t) => (
                <tr key={t.target}>
                  <td class="mono">{t.target}</td>
                  <td>
                    <span class={`status ${t.breaker_state}`}>{t.breaker_state}</span>
                  </td>
                  <td class="num">{t.latency ? `${t.latency.p50_ms} / ${t.latency.p95_ms} ms` : '—'}</td>
                  <td class="num">{t.latency?.samples ?? 0}</td>
                  <td>{t.rate_limited_until ? when(t.rate_limited_until) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <h2>Circuit breakers ({d.breakers.length})</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Target</th>
              <th scope="col">State</th>
              <th scope="col" class="num">
                Consecutive failures
              </th>
              <th scope="col">Opened at</th>
            </tr>
          </thead>
          <tbody>
            {d.breakers.map((b) => (
              <tr key={b.target}>
                <td class="mono">{b.target}</td>
                <td>
                  <span class={`status ${b.state}`}>{b.state}</span>
                </td>
                <td class="num">{b.consecutive_failures}</td>
                <td>{when(b.opened_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Rate-limited targets ({d.limits.length})</h2>
      {d.limits.length === 0 ? (
        <p class="muted">None right now.</p>
      ) : (
        <ul>
          {d.limits.map((l) => (
            <li key={l.target}>
              <span class="mono">{l.target}</span> until {when(l.until)} UTC
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
