// `switchyard teams create|list|show|update|credits|disable|end-users` and `switchyard statement --team ID --month YYYY-MM`.
// Flags map one-to-one onto the admin API's JSON fields, like `keys`.
import { randomUUID } from 'node:crypto';
import { budgetsOf, endUserBudgetsOf, endUserOptions, int, list, pageQuery, str } from './body-flags.js';
import { type CliArgs, type CliIO, type CliTarget, print, stdio, withCaller } from './cli-target.js';

export const teamsOptions = {
  name: { type: 'string' },
  credits: { type: 'string' },
  daily: { type: 'string' },
  monthly: { type: 'string' },
  total: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  'max-concurrency': { type: 'string' },
  tags: { type: 'string' },
  amount: { type: 'string' },
  reason: { type: 'string' },
  'idempotency-key': { type: 'string' },
  enable: { type: 'boolean' },
  ...endUserOptions,
  limit: { type: 'string' },
  after: { type: 'string' },
} as const;

export const statementOptions = {
  team: { type: 'string' },
  month: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
} as const;

function teamBody(a: CliArgs, forUpdate: boolean): Record<string, unknown> {
  const v = a.values;
  const body: Record<string, unknown> = {
    name: str(v.name),
    ...(forUpdate ? {} : { credits_usd: str(v.credits) }),
    budgets: budgetsOf(v),
    rpm: int(v.rpm),
    tpm: int(v.tpm),
    max_concurrency: int(v['max-concurrency']),
    tags: list(v.tags),
    end_user_budgets: endUserBudgetsOf(v),
    ...(forUpdate && v.enable ? { enabled: true } : {}),
  };
  return Object.fromEntries(Object.entries(body).filter(([, x]) => x !== undefined));
}

const teamPath = (a: CliArgs, io: CliIO, sub = '') => {
  const id = a.positionals[0];
  if (!id) io.err('error: a team id is required');
  return id ? `/v1/teams/${encodeURIComponent(id)}${sub}` : undefined;
};

export function teamsCreateCommand(a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  return withCaller(t, io, async (c) =>
    print(io, await c.call({ method: 'POST', path: '/v1/teams', body: teamBody(a, false) })),
  );
}

export function teamsListCommand(_a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  return withCaller(t, io, async (c) => print(io, await c.call({ method: 'GET', path: '/v1/teams' })));
}

function onTeam(
  method: string,
  sub: string,
  body?: (a: CliArgs) => unknown,
  query?: (a: CliArgs) => Record<string, string>,
) {
  return (a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> => {
    const path = teamPath(a, io, sub);
    if (!path) return Promise.resolve(2);
    const b = body?.(a);
    const q = query?.(a);
    return withCaller(t, io, async (c) =>
      print(io, await c.call({ method, path, ...(b !== undefined ? { body: b } : {}), ...(q ? { query: q } : {}) })),
    );
  };
}

export const teamsShowCommand = onTeam('GET', '');
export const teamsUpdateCommand = onTeam('PATCH', '', (a) => teamBody(a, true));
/** Disables the team (its keys are refused); the team, its keys and its ledger rows stay. */
export const teamsDisableCommand = onTeam('DELETE', '');
/** `teams end-users <team-id> [--limit 20] [--after NAME]`: each end user's spend and holds, a page at a time. */
export const teamsEndUsersCommand = onTeam('GET', '/end-users', undefined, (a) => pageQuery(a.values));
/** `teams credits <team-id> --amount 100 --reason "PO 7" [--idempotency-key po-7]` */
export const teamsCreditsCommand = onTeam('POST', '/credits', (a) => ({
  amount_usd: a.values.amount,
  reason: str(a.values.reason) ?? 'cli',
  // Without an explicit key a retried command would top up twice; the generated one is printed in the response.
  idempotency_key: str(a.values['idempotency-key']) ?? `cli-${randomUUID()}`,
}));

/** `statement --team <id> [--month 2026-11 | --from … --to …] [--format json|csv|html]` */
export function statementCommand(a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  const v = a.values;
  const team = str(v.team) ?? a.positionals[0];
  if (!team) {
    io.err('error: --team <id> is required');
    return Promise.resolve(2);
  }
  const query: Record<string, string> = {};
  for (const k of ['month', 'from', 'to', 'format'] as const) {
    const x = str(v[k]);
    if (x !== undefined) query[k] = x;
  }
  return withCaller(t, io, async (c) =>
    print(io, await c.call({ method: 'GET', path: `/v1/teams/${encodeURIComponent(team)}/statement`, query })),
  );
}
