// The console page: sign-in, navigation and hash routes (#/, #/teams, #/teams/ID, #/keys/ID, #/ledger?…,
// #/routing, #/config). Speaks only to /ui (session) and /ui/api (the admin API).
import './styles.css';
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBanner } from './components/ui.js';
import { request, setCsrf } from './lib/api.js';
import { filtersFrom } from './lib/query.js';
import { KeyDetail, TeamDetail } from './pages/account-detail.js';
import { Config } from './pages/config.js';
import { Ledger } from './pages/ledger.js';
import { Overview } from './pages/overview.js';
import { Routing } from './pages/routing.js';
import { TeamsAndKeys } from './pages/teams.js';

interface SessionInfo {
  csrf: string;
}

const NAV: [string, string][] = [
  ['#/', 'Overview'],
  ['#/teams', 'Teams and keys'],
  ['#/ledger', 'Ledger'],
  ['#/routing', 'Routing'],
  ['#/config', 'Config'],
];

function useHash() {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function page(hash: string) {
  const [path = '', search = ''] = hash.slice(1).split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'teams' && parts[1]) return <TeamDetail id={decodeURIComponent(parts[1])} />;
  if (parts[0] === 'teams') return <TeamsAndKeys />;
  if (parts[0] === 'keys' && parts[1]) return <KeyDetail id={decodeURIComponent(parts[1])} />;
  if (parts[0] === 'ledger') return <Ledger key={search} initial={filtersFrom(search)} />;
  if (parts[0] === 'routing') return <Routing />;
  if (parts[0] === 'config') return <Config />;
  return <Overview />;
}

function App() {
  const [state, setState] = useState<'checking' | 'out' | 'in'>('checking');
  useEffect(() => {
    request<SessionInfo>('GET', '/session').then(
      (s) => {
        setCsrf(s.csrf);
        setState('in');
      },
      () => setState('out'),
    );
    const out = () => setState('out');
    window.addEventListener('console:signed-out', out);
    return () => window.removeEventListener('console:signed-out', out);
  }, []);
  if (state === 'checking') return <p aria-busy="true">Loading…</p>;
  if (state === 'out') return <Login onIn={() => setState('in')} />;
  return <Shell onOut={() => setState('out')} />;
}

function Shell({ onOut }: { onOut: () => void }) {
  const hash = useHash();
  const main = useRef<HTMLElement>(null);
  const [navOpen, setNavOpen] = useState(false);
  // Move focus to the new page on every route change (keyboard and screen-reader users land on it).
  useEffect(() => {
    main.current?.focus();
    setNavOpen(false);
  }, [hash]);
  const signOut = async () => {
    await request('POST', '/logout', {}).catch(() => {});
    setCsrf('');
    onOut();
  };
  const current = `#/${hash.slice(2).split(/[/?]/)[0] ?? ''}`;
  return (
    <>
      <button type="button" class="skip" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">Switchyard console</span>
        <button
          type="button"
          class="menu"
          aria-expanded={navOpen}
          aria-controls="nav"
          onClick={() => setNavOpen(!navOpen)}
        >
          Menu
        </button>
        <nav id="nav" class={navOpen ? 'open' : ''} aria-label="Console">
          {NAV.map(([href, label]) => (
            <a key={href} href={href} aria-current={current === href ? 'page' : undefined}>
              {label}
            </a>
          ))}
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {page(hash)}
      </main>
    </>
  );
}

function Login({ onIn }: { onIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await request<SessionInfo>('POST', '/login', { token });
      setCsrf(s.csrf);
      setToken('');
      onIn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form onSubmit={submit} class="card" aria-labelledby="login-h">
        <h1 id="login-h">Switchyard console</h1>
        <p class="hint">Sign in with the gateway’s admin token (SWITCHYARD_ADMIN_TOKEN). It stays on the server.</p>
        <div class="field">
          <label for="token">Admin token</label>
          <input
            id="token"
            name="token"
            type="password"
            autoComplete="current-password"
            required
            value={token}
            onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          />
        </div>
        <ErrorBanner error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
