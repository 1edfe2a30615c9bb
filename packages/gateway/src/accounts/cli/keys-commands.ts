// `switchyard keys create|list|show|update|revoke`. Flags map one-to-one onto the admin API's JSON fields.
import { budgetsOf, endUserBudgetsOf, endUserOptions, int, list, pageQuery, str } from './body-flags.js';
import { type CliArgs, type CliIO, type CliTarget, print, stdio, withCaller } from './cli-target.js';

/** parseArgs option specs, for the CLI that registers these commands. */
export const keysOptions = {
  name: { type: 'string' },
  credits: { type: 'string' },
  daily: { type: 'string' },
  monthly: { type: 'string' },
  total: { type: 'string' },
  models: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  'max-concurrency': { type: 'string' },
  expires: { type: 'string' },
  tags: { type: 'string' },
  team: { type: 'string' },
  enable: { type: 'boolean' },
  disable: { type: 'boolean' },
  ...endUserOptions,
  limit: { type: 'string' },
  after: { type: 'string' },
} as const;

function keyBody(a: CliArgs, forUpdate: boolean): Record<string, unknown> {
  const v = a.values;
  const body: Record<string, unknown> = {
    name: str(v.name),
    ...(forUpdate ? {} : { credits_usd: str(v.credits) }),
    budgets: budgetsOf(v),
    models: list(v.models),
    rpm: int(v.rpm),
    tpm: int(v.tpm),
    max_concurrency: int(v['max-concurrency']),
    expires_at: v.expires === 'none' ? null : str(v.expires),
    tags: list(v.tags),
    ...(forUpdate ? {} : { team_id: str(v.team) }),
    end_user_budgets: endUserBudgetsOf(v),
    ...(forUpdate && v.enable ? { enabled: true } : {}),
    ...(forUpdate && v.disable ? { enabled: false } : {}),
  };
  return Object.fromEntries(Object.entries(body).filter(([, x]) => x !== undefined));
}

const needId = (a: CliArgs, io: CliIO) => {
  const id = a.positionals[0];
  if (!id) io.err('error: a key id is required');
  return id;
};

/** Prints the new key (shown once) and its record. */
export function keysCreateCommand(a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  return withCaller(t, io, async (c) =>
    print(io, await c.call({ method: 'POST', path: '/v1/keys', body: keyBody(a, false) })),
  );
}

export function keysListCommand(_a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  return withCaller(t, io, async (c) => print(io, await c.call({ method: 'GET', path: '/v1/keys' })));
}

export function keysShowCommand(a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  const id = needId(a, io);
  if (!id) return Promise.resolve(2);
  return withCaller(t, io, async (c) =>
    print(io, await c.call({ method: 'GET', path: `/v1/keys/${encodeURIComponent(id)}` })),
  );
}

export function keysUpdateCommand(a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  const id = needId(a, io);
  if (!id) return Promise.resolve(2);
  return withCaller(t, io, async (c) =>
    print(io, await c.call({ method: 'PATCH', path: `/v1/keys/${encodeURIComponent(id)}`, body: keyBody(a, true) })),
  );
}

export function keysRevokeCommand(a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  const id = needId(a, io);
  if (!id) return Promise.resolve(2);
  return withCaller(t, io, async (c) =>
    print(io, await c.call({ method: 'DELETE', path: `/v1/keys/${encodeURIComponent(id)}` })),
  );
}

/** `keys end-users <key-id> [--limit 20] [--after NAME]`: the end users of a key without a team. */
export function keysEndUsersCommand(a: CliArgs, t: CliTarget, io: CliIO = stdio): Promise<number> {
  const id = needId(a, io);
  if (!id) return Promise.resolve(2);
  const path = `/v1/keys/${encodeURIComponent(id)}/end-users`;
  return withCaller(t, io, async (c) => print(io, await c.call({ method: 'GET', path, query: pageQuery(a.values) })));
}
