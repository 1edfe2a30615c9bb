// Teams and keys: list and search both, create a team or a key (the key is shown once, with a copy button).
import { useState } from 'preact/hooks';
import { ErrorBanner, Field, Pending, Select, useLoad, usePages } from '../components/ui.js';
import { admin } from '../lib/api.js';
import { exactMoney, money } from '../lib/money.js';
import type { Key, Team } from '../lib/types.js';

const matches = (q: string, ...fields: (string | null | undefined)[]) =>
  q.trim() === '' || fields.some((f) => f?.toLowerCase().includes(q.trim().toLowerCase()));

export function TeamsAndKeys() {
  const teams = useLoad(() => admin.get<{ data: Team[] }>('/teams'));
  const keys = useLoad(() => admin.get<{ data: Key[] }>('/keys'));
  const spend = useLoad(() => admin.get<{ data: { key: string; cost_usd: string }[] }>('/spend?group_by=key'));
  const [q, setQ] = useState('');
  if (!teams.data || !keys.data)
    return <Pending loading={teams.loading || keys.loading} error={teams.error ?? keys.error} />;
  const teamName = new Map(teams.data.data.map((t) => [t.id, t.name]));
  return (
    <section aria-labelledby="teams-h">
      <h1 id="teams-h">Teams and keys</h1>
      <div class="search">
        <Field
          label="Search teams and keys"
          value={q}
          onInput={setQ}
          placeholder="name, id or key hint"
          type="search"
        />
      </div>
      <div class="grid2">
        <CreateTeam onCreated={teams.reload} />
        <CreateKey teams={teams.data.data} onCreated={keys.reload} />
      </div>
      <TeamList teams={teams.data.data.filter((t) => matches(q, t.name, t.id))} />
      <KeyList
        keys={keys.data.data.filter((k) => matches(q, k.name, k.id, k.key_hint, teamName.get(k.team_id ?? '')))}
        teamName={teamName}
        spent={new Map((spend.data?.data ?? []).map((r) => [r.key, r.cost_usd]))}
      />
    </section>
  );
}

function TeamList({ teams }: { teams: Team[] }) {
  const { rows, pager } = usePages(teams);
  return (
    <>
      <h2>Teams ({teams.length})</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Id</th>
              <th scope="col">Status</th>
              <th scope="col">Pooled credits</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id}>
                <td>
                  <a href={`#/teams/${t.id}`}>{t.name}</a>
                </td>
                <td class="mono">{t.id}</td>
                <td>{t.status}</td>
                <td>{t.credits ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pager}
    </>
  );
}

export function KeyList(p: { keys: Key[]; teamName: Map<string, string>; spent?: Map<string, string> }) {
  const { keys, teamName, spent } = p;
  const { rows, pager } = usePages(keys);
  return (
    <>
      <h2>Keys ({keys.length})</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Team</th>
              <th scope="col">Status</th>
              {spent && (
                <th scope="col" class="num">
                  Spent (all time)
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {rows.map((k) => (
              <tr key={k.id}>
                <td>
                  <a href={`#/keys/${k.id}`}>{k.name}</a>
                </td>
                <td class="mono">{k.key_hint}</td>
                <td>{k.team_id ? (teamName.get(k.team_id) ?? k.team_id) : '—'}</td>
                <td>
                  <span class={`status ${k.status}`}>{k.status}</span>
                </td>
                {spent && <td class="num">{money(spent.get(k.id) ?? '0')}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pager}
    </>
  );
}

function CreateTeam({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [credits, setCredits] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await admin.post<Team>('/teams', {
        name: name.trim(),
        ...(credits.trim() && { credits_usd: credits.trim() }),
      });
      setName('');
      setCredits('');
      onCreated();
      location.hash = `#/teams/${t.id}`;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-label="Create a team">
      <h2>Create a team</h2>
      <Field label="Team name" value={name} onInput={setName} required />
      <Field label="Initial pooled credits (USD, optional)" value={credits} onInput={setCredits} placeholder="100.00" />
      <ErrorBanner error={error} />
      <button type="submit" disabled={busy}>
        Create team
      </button>
    </form>
  );
}

function CreateKey({ teams, onCreated }: { teams: Team[]; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [team, setTeam] = useState('');
  const [credits, setCredits] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Key | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const k = await admin.post<Key>('/keys', {
        name: name.trim(),
        ...(team && { team_id: team }),
        ...(credits.trim() && { credits_usd: credits.trim() }),
      });
      setCreated(k);
      setName('');
      setCredits('');
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-label="Create a key">
      <h2>Create a key</h2>
      <Field label="Key name" value={name} onInput={setName} required />
      <Select
        label="Team"
        value={team}
        onChange={setTeam}
        options={[['', 'No team'], ...teams.filter((t) => t.enabled).map((t): [string, string] => [t.id, t.name])]}
      />
      <Field label="Own credits (USD, optional)" value={credits} onInput={setCredits} placeholder="10.00" />
      <ErrorBanner error={error} />
      <button type="submit" disabled={busy}>
        Create key
      </button>
      {created?.key && <ShownOnce secret={created.key} id={created.id} />}
    </form>
  );
}

function ShownOnce({ secret, id }: { secret: string; id: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div class="once" role="status">
      <p>
        <strong>Copy this key now.</strong> It is shown only once; the gateway keeps only its hash.
      </p>
      <output class="mono secret" data-testid="new-key">
        {secret}
      </output>
      <div class="actions">
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy key'}
        </button>
        <a href={`#/keys/${id}`}>Open key</a>
      </div>
    </div>
  );
}

export const balanceText = (credits: boolean, balance: string | null | undefined) =>
  credits ? exactMoney(balance) : 'no prepaid balance';
