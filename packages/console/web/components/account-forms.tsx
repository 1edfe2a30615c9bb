// Forms shared by a key and a team (same admin API shapes under /keys/{id} and /teams/{id}): an idempotent top-up
// and budgets + limits.
import { useState } from 'preact/hooks';
import { admin } from '../lib/api.js';
import { money } from '../lib/money.js';
import type { Budgets, Limits } from '../lib/types.js';
import { ErrorBanner, Field, Notice } from './ui.js';

const newIdempotencyKey = () => `console-${crypto.randomUUID()}`;

export function TopUpForm({ path, onDone }: { path: string; onDone: () => void }) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [idem, setIdem] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const r = await admin.post<{ applied: boolean; balance_usd: string | null }>(`${path}/credits`, {
        amount_usd: amount.trim(),
        reason: reason.trim(),
        idempotency_key: idem.trim(),
      });
      setDone(
        r.applied
          ? `Added. Balance now ${money(r.balance_usd)}.`
          : `Already applied earlier with this idempotency key; nothing added. Balance ${money(r.balance_usd)}.`,
      );
      if (r.applied) {
        setAmount('');
        setReason('');
        setIdem(newIdempotencyKey());
      }
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} class="card" aria-label="Top up credits">
      <h3>Top up credits</h3>
      <Field
        label="Amount (USD)"
        value={amount}
        onInput={setAmount}
        required
        placeholder="25.00"
        hint="Negative to correct."
      />
      <Field label="Reason" value={reason} onInput={setReason} required placeholder="invoice 2026-117" />
      <Field
        label="Idempotency key"
        value={idem}
        onInput={setIdem}
        required
        hint="Sending the same key twice adds the credits once."
      />
      <ErrorBanner error={error} />
      {done && <Notice>{done}</Notice>}
      <button type="submit" disabled={busy}>
        {busy ? 'Adding…' : 'Add credits'}
      </button>
    </form>
  );
}

const text = (v: string | number | null) => (v === null ? '' : String(v));
const usdOrNull = (v: string) => (v.trim() === '' ? null : v.trim());
const intOrNull = (v: string) => (v.trim() === '' ? null : Number(v.trim()));

export function LimitsForm({
  path,
  current,
  onDone,
}: {
  path: string;
  current: Limits & { budgets: Budgets };
  onDone: () => void;
}) {
  const [daily, setDaily] = useState(text(current.budgets.daily_usd));
  const [monthly, setMonthly] = useState(text(current.budgets.monthly_usd));
  const [total, setTotal] = useState(text(current.budgets.total_usd));
  const [rpm, setRpm] = useState(text(current.rpm));
  const [tpm, setTpm] = useState(text(current.tpm));
  const [conc, setConc] = useState(text(current.max_concurrency));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await admin.patch(path, {
        budgets: { daily_usd: usdOrNull(daily), monthly_usd: usdOrNull(monthly), total_usd: usdOrNull(total) },
        rpm: intOrNull(rpm),
        tpm: intOrNull(tpm),
        max_concurrency: intOrNull(conc),
      });
      setSaved(true);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} class="card" aria-label="Budgets and limits">
      <h3>Budgets and limits</h3>
      <p class="hint">Empty means no limit.</p>
      <div class="row3">
        <Field label="Daily budget (USD)" value={daily} onInput={setDaily} />
        <Field label="Monthly budget (USD)" value={monthly} onInput={setMonthly} />
        <Field label="Total budget (USD)" value={total} onInput={setTotal} />
        <Field label="Requests per minute" value={rpm} onInput={setRpm} type="number" />
        <Field label="Tokens per minute" value={tpm} onInput={setTpm} type="number" />
        <Field label="Max concurrent calls" value={conc} onInput={setConc} type="number" />
      </div>
      <ErrorBanner error={error} />
      {saved && <Notice>Saved.</Notice>}
      <button type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Save budgets and limits'}
      </button>
    </form>
  );
}
