// /admin/v1/teams: create, list, show (with live balance), patch, disable (rows stay), idempotent top-ups of the
// team's pool, and the team's statement.
import type { z } from 'zod';
import { formatUsd } from '../money.js';
import type { AccountsService } from '../service.js';
import type { AdminResponse } from './admin-api.js';
import {
  createTeamSchema,
  creditsSchema,
  endUsersSchema,
  mergeBudgets,
  mergeEndUserLimits,
  patchTeamSchema,
} from './admin-schemas.js';
import { endUsersView, teamView } from './admin-views.js';

type Parse = <S extends z.ZodType>(schema: S, input: unknown) => z.output<S>;
type Err = (status: number, message: string, code: string | null, param?: string | null) => AdminResponse;

export async function routeTeams(
  service: AccountsService,
  m: string,
  id: string | undefined,
  sub: string | undefined,
  req: { query?: Record<string, unknown>; body?: unknown },
  parse: Parse,
  adminError: Err,
  statement: (id: string) => Promise<AdminResponse>,
): Promise<AdminResponse> {
  const notFound = () => adminError(404, 'No team with that id.', 'team_not_found', 'id');
  if (id === undefined) {
    if (m === 'GET') {
      const teams = await service.listTeams();
      return { status: 200, json: { object: 'list', data: teams.map((t) => teamView(t)) } };
    }
    if (m === 'POST') {
      const team = await service.createTeam(parse(createTeamSchema, req.body));
      const d = await service.getTeam(team.id);
      return { status: 201, json: teamView(team, d?.usage) };
    }
  } else if (sub === undefined) {
    if (m === 'GET') {
      const d = await service.getTeam(id);
      return d ? { status: 200, json: teamView(d.team, d.usage) } : notFound();
    }
    if (m === 'PATCH') {
      const { patch, budgets, endUserBudgets } = parse(patchTeamSchema, req.body);
      if (budgets || endUserBudgets !== undefined) {
        const cur = await service.getTeam(id);
        if (!cur) return notFound();
        if (budgets) patch.budgets = mergeBudgets(cur.team.budgets, budgets);
        if (endUserBudgets !== undefined) {
          patch.endUserLimits =
            endUserBudgets === null ? undefined : mergeEndUserLimits(cur.team.endUserLimits, endUserBudgets);
        }
      }
      const t = await service.updateTeam(id, patch);
      return t ? { status: 200, json: teamView(t) } : notFound();
    }
    if (m === 'DELETE') {
      // Disable: the team's keys are refused from now on; the team, its keys and its ledger rows stay.
      const t = await service.updateTeam(id, { enabled: false });
      return t ? { status: 200, json: teamView(t) } : notFound();
    }
  } else if (sub === 'credits' && m === 'POST') {
    const b = parse(creditsSchema, req.body);
    const out = await service.addTeamCredits(id, b.amount_usd, b.reason, b.idempotency_key);
    if (!out) return notFound();
    return {
      status: out.applied ? 201 : 200,
      json: {
        object: 'credit',
        team_id: id,
        applied: out.applied,
        amount_usd: formatUsd(b.amount_usd),
        idempotency_key: b.idempotency_key,
        balance_usd: out.usage.balanceNanos === null ? null : formatUsd(out.usage.balanceNanos),
      },
    };
  } else if (sub === 'statement' && m === 'GET') {
    return statement(id);
  } else if (sub === 'end-users' && m === 'GET') {
    return endUsers(service, id, parse(endUsersSchema, req.query), notFound);
  }
  return adminError(405, `Method ${m} is not allowed here.`, 'method_not_allowed');
}

/** GET /v1/teams/{id}/end-users (and /v1/keys/{id}/end-users): a page of end users with their live figures. */
export async function endUsers(
  service: AccountsService,
  scope: string,
  q: z.output<typeof endUsersSchema>,
  notFound: () => AdminResponse,
): Promise<AdminResponse> {
  const page = await service.endUsers(scope, { limit: q.limit, ...(q.after !== undefined ? { after: q.after } : {}) });
  return page ? { status: 200, json: endUsersView(scope, page) } : notFound();
}
