// End users as a third admission level (docs/accounts.md "End-user budgets"): an end user is identified within its
// team — or within a key that has no team — by the id the client names (`user`, `x-switchyard-end-user`). Its
// state is an account of its own, `eu:<team or key id>:<limits version>:<end user>`, held and settled with the key
// and team.
import type { EndUserLimits, KeyRecord, ReserveRequest, TeamRecord } from './types.js';

const PREFIX = 'eu:';

export const endUserAccount = (scope: string, version: number, endUser: string) =>
  `${PREFIX}${scope}:${version}:${endUser}`;
export const isEndUserAccount = (id: string) => id.startsWith(PREFIX);

/** `{scope, endUser}` of an end-user account id; team and key ids and versions never contain ':'. */
export function parseEndUserAccount(id: string): { scope: string; endUser: string } | undefined {
  if (!isEndUserAccount(id)) return undefined;
  const at = id.indexOf(':', PREFIX.length);
  const v = at < 0 ? -1 : id.indexOf(':', at + 1);
  return v < 0 ? undefined : { scope: id.slice(PREFIX.length, at), endUser: id.slice(v + 1) };
}

export const hasEndUserLimits = (l: EndUserLimits | undefined): l is EndUserLimits =>
  l !== undefined && (l.rpm !== undefined || Object.values(l.budgets).some((v) => v !== undefined));

/** The end-user level of a call: the team's limits (or a team-less key's), when the call names an end user. */
export function endUserLevel(
  key: KeyRecord,
  team: TeamRecord | undefined,
  endUser: string | undefined,
): ReserveRequest['endUser'] {
  const owner = team ?? key;
  if (endUser === undefined || !hasEndUserLimits(owner.endUserLimits)) return undefined;
  const limits = owner.endUserLimits;
  return { account: endUserAccount(owner.id, limits.version ?? 0, endUser), limits };
}
