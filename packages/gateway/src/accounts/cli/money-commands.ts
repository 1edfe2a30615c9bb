// `switchyard credits add`, `switchyard spend`, `switchyard ledger verify`.
import { randomUUID } from 'node:crypto';
import { formatUsd } from '../money.js';
import { type CliArgs, type CliIO, type CliTarget, print, stdio, withCaller } from './cli-target.js';

export const creditsAddOptions = {
  amount: { type: 'string' },
  reason: { type: 'string' },
  'idempotency-key': { type: 'string' },
} as const;

export const spendOptions = {
  'group-by': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  team: { type: 'string' },
} as const;

/** `credits add <key-id> --amount 10 --reason "invoice 42" [--idempotency-key inv-42]` */
export function creditsAddCommand(a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  const id = a.positionals[0];
  if (!id) {
    io.err('error: a key id is required');
    return Promise.resolve(2);
  }
  const v = a.values;
  // Without an explicit key a retried command would top up twice; print the generated one so it can be reused.
  const idem = typeof v['idempotency-key'] === 'string' ? v['idempotency-key'] : `cli-${randomUUID()}`;
  const body = { amount_usd: v.amount, reason: v.reason ?? 'cli', idempotency_key: idem };
  return withCaller(t, io, async (c) =>
    print(io, await c.call({ method: 'POST', path: `/v1/keys/${encodeURIComponent(id)}/credits`, body })),
  );
}

/** `spend --group-by key|provider|model|day|team|end_user|tag [--team ID] [--from 2026-11-01] [--to 2026-12-01] [--format csv]` */
export function spendCommand(a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  const v = a.values;
  const query: Record<string, string> = {};
  if (typeof v['group-by'] === 'string') query.group_by = v['group-by'];
  for (const k of ['from', 'to', 'format'] as const) if (typeof v[k] === 'string') query[k] = v[k] as string;
  if (typeof v.team === 'string') query.team_id = v.team;
  return withCaller(t, io, async (c) => print(io, await c.call({ method: 'GET', path: '/v1/spend', query })));
}

/** `ledger verify --store <url>`: recomputes every balance from the ledger; exit 1 on any mismatch. */
export function ledgerVerifyCommand(_a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  if (!t.store) {
    io.err('error: ledger verify reads the store directly: give --store <url>');
    return Promise.resolve(2);
  }
  return withCaller({ store: t.store }, io, async (c) => {
    const r = await c.store!.verify();
    for (const m of r.mismatches) {
      io.err(
        `MISMATCH ${m.keyId}: stored ${formatUsd(m.storedNanos)} USD, ledger ${formatUsd(m.ledgerNanos)} USD` +
          (m.liveNanos !== undefined ? `, live ${formatUsd(m.liveNanos)} USD` : ''),
      );
    }
    if (r.quarantined > 0) {
      io.err(`QUARANTINED ${r.quarantined} settled call(s) could not be written: see table ledger_quarantine`);
    }
    io.out(
      `ledger verify: ${r.keysChecked} keys checked, ${r.mismatches.length} mismatches, ${r.quarantined} quarantined`,
    );
    return r.ok ? 0 : 1;
  });
}
