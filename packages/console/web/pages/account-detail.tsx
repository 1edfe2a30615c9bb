// One team or one key: balance and spend, top-up, budgets and limits, disable / revoke, its calls in the ledger.
import { useState } from 'preact/hooks';
import { LimitsForm, TopUpForm } from '../components/account-forms.js';
import { ErrorBanner, Pending, useLoad, when } from '../components/ui.js';
import { admin } from '../lib/api.js';
import { exactMoney as money } from '../lib/money.js';
import type { Key, Team } from '../lib/types.js';
import { balanceText, KeyList } from './teams.js';

export function TeamDetail({ id }: { id: string }) {
  const team = useLoad(() => admin.get<Team>(`/teams/${id}`), [id]);
  const keys = useLoad(() => admin.get<{ data: Key[] }>('/keys'), [id]);
  const t = team.data;
  if (!t) return <Pending loading={team.loading} error={team.error} />;
  const mine = (keys.data?.data ?? []).filter((k) => k.team_id === id);
  return (
    <section aria-labelledby="team-h">
      <p>
        <a href="#/teams">← Teams and keys</a>
      </p>
      <h1 id="team-h">Team {t.name}</h1>
      <Summary
        rows={[
          ['Id', t.id],
          ['Status', t.status],
          ['Pooled credits remaining', balanceText(t.credits, t.balance_usd)],
          ['Reserved by calls in flight', money(t.reserved_usd)],
          ['Spent today', money(t.spent_today_usd)],
          ['Spent this month', money(t.spent_this_month_usd)],
          ['Spent in total', money(t.spent_usd)],
          ['Created', when(t.created_at)],
        ]}
      />
      <p>
        <a href={`#/ledger?team_id=${t.id}`}>This team’s ledger</a>
      </p>
      <div class="grid2">
        <TopUpForm path={`/teams/${id}`} onDone={team.reload} />
        <LimitsForm path={`/teams/${id}`} current={t} onDone={team.reload} />
      </div>
      <Toggle path={`/teams/${id}`} enabled={t.enabled} what="team" onDone={team.reload} />
      <KeyList keys={mine} teamName={new Map([[t.id, t.name]])} />
    </section>
  );
}

export function KeyDetail({ id }: { id: string }) {
  const key = useLoad(() => admin.get<Key>(`/keys/${id}`), [id]);
  const k = key.data;
  if (!k) return <Pending loading={key.loading} error={key.error} />;
  const revoked = k.status === 'revoked';
  return (
    <section aria-labelledby="key-h">
      <p>
        <a href="#/teams">← Teams and keys</a>
      </p>
      <h1 id="key-h">Key {k.name}</h1>
      <Summary
        rows={[
          ['Id', k.id],
          ['Key', k.key_hint],
          ['Status', k.status],
          ['Team', k.team_id ?? '—'],
          ['Own credits remaining', balanceText(k.credits, k.balance_usd)],
          ['Reserved by calls in flight', money(k.reserved_usd)],
          ['Spent today', money(k.spent_today_usd)],
          ['Spent this month', money(k.spent_this_month_usd)],
          ['Spent in total', money(k.spent_usd)],
          ['Models allowed', k.models.length ? k.models.join(', ') : 'all'],
          ['Created', when(k.created_at)],
        ]}
      />
      <p>
        <a href={`#/ledger?key_id=${k.id}`}>This key’s calls in the ledger</a>
      </p>
      {!revoked && (
        <>
          <div class="grid2">
            <TopUpForm path={`/keys/${id}`} onDone={key.reload} />
            <LimitsForm path={`/keys/${id}`} current={k} onDone={key.reload} />
          </div>
          <Toggle path={`/keys/${id}`} enabled={k.enabled} what="key" onDone={key.reload} />
          <Revoke id={id} onDone={key.reload} />
        </>
      )}
    </section>
  );
}

function Summary({ rows }: { rows: [string, string][] }) {
  return (
    <dl class="summary">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Toggle(p: { path: string; enabled: boolean; what: string; onDone: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const flip = async () => {
    setError(null);
    try {
      await admin.patch(p.path, { enabled: !p.enabled });
      p.onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div class="card">
      <h3>{p.enabled ? `Disable this ${p.what}` : `Enable this ${p.what}`}</h3>
      <p class="hint">
        {p.enabled
          ? `A disabled ${p.what} is refused until enabled again; its ledger stays.`
          : `Calls with this ${p.what} are refused now.`}
      </p>
      <ErrorBanner error={error} />
      <button type="button" onClick={flip}>
        {p.enabled ? `Disable ${p.what}` : `Enable ${p.what}`}
      </button>
    </div>
  );
}

function Revoke({ id, onDone }: { id: string; onDone: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const revoke = async () => {
    setError(null);
    try {
      await admin.delete(`/keys/${id}`);
      setConfirming(false);
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div class="card danger">
      <h3>Revoke this key</h3>
      <p class="hint">Revoking is permanent: every call with this key is refused with 401. Its ledger rows stay.</p>
      <ErrorBanner error={error} />
      {confirming ? (
        <div class="actions">
          <button type="button" class="danger" onClick={revoke}>
            Yes, revoke it
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Revoke key
        </button>
      )}
    </div>
  );
}
