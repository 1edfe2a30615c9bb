// Small shared pieces: a labelled field, an error/notice banner, a loader hook, client-side pagination.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';

let nextId = 0;
const useId = () => useState(() => `f${++nextId}`)[0];

export function Field(p: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'number' | 'search' | 'date';
  placeholder?: string;
  required?: boolean;
  hint?: string;
  name?: string;
  autoComplete?: string;
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <input
        id={id}
        name={p.name ?? id}
        // Preact 11 types `input` per type; one element for all four needs the widening cast.
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        placeholder={p.placeholder}
        required={p.required}
        autoComplete={p.autoComplete ?? 'off'}
        aria-describedby={p.hint ? `${id}-hint` : undefined}
        onInput={(e) => p.onInput((e.target as HTMLInputElement).value)}
      />
      {p.hint && (
        <small id={`${id}-hint`} class="hint">
          {p.hint}
        </small>
      )}
    </div>
  );
}

export function Select(p: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
}) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <select id={id} value={p.value} onChange={(e) => p.onChange((e.target as HTMLSelectElement).value)}>
        {p.options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** An error from the API, shown where the action was taken; announced to screen readers. */
export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p class="banner error" role="alert">
      {message}
    </p>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="banner ok" role="status">
      {children}
    </p>
  );
}

/** Loads on mount and on `reload()`; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  // `deps` are what `load` depends on (the caller lists them, as for useEffect).
  const reload = useCallback(() => {
    setLoading(true);
    load().then(
      (d) => {
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        setError(e);
        setLoading(false);
      },
    );
  }, deps);
  useEffect(reload, [reload]);
  return { data, error, loading, reload };
}

/** A page whose data has not arrived: its error, or a busy note. */
export function Pending({ loading, error }: { loading: boolean; error: unknown }) {
  return (
    <section>
      <ErrorBanner error={error} />
      {loading && <p aria-busy="true">Loading…</p>}
    </section>
  );
}

export const PAGE_SIZE = 20;

/** Client-side pages of an already loaded list. */
export function usePages<T>(items: T[], size = PAGE_SIZE) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(page, pages - 1);
  return {
    rows: items.slice(current * size, current * size + size),
    pager: <Pager page={current} pages={pages} onPage={setPage} />,
  };
}

export function Pager(p: { page: number; pages: number; onPage: (n: number) => void }) {
  if (p.pages <= 1) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={p.page === 0} onClick={() => p.onPage(p.page - 1)}>
        Previous
      </button>
      <span>
        Page {p.page + 1} of {p.pages}
      </span>
      <button type="button" disabled={p.page >= p.pages - 1} onClick={() => p.onPage(p.page + 1)}>
        Next
      </button>
    </nav>
  );
}

export const when = (iso: string | null | undefined) => (iso ? iso.replace('T', ' ').slice(0, 19) : '—');
