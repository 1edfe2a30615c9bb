// The admin API as a framework-neutral handler: (method, path, query, body) → (status, JSON or CSV).
// The express router is a thin shell over it, and the CLI (store mode) calls it directly.
import type { z } from 'zod';
import { formatUsd } from '../money.js';
import type { AccountsService } from '../service.js';
import { monthRange, statementCsv, statementHtml, statementJson } from '../statement.js';
import { routeLedger, spendSeries } from './admin-ledger.js';
import {
  createKeySchema,
  creditsSchema,
  endUsersSchema,
  mergeBudgets,
  mergeEndUserLimits,
  patchKeySchema,
  spendSchema,
  statementSchema,
} from './admin-schemas.js';
import { endUsers, routeTeams } from './admin-teams.js';
import { keyDetailView, keyView, spendCsv, spendView } from './admin-views.js';

export interface AdminRequest {
  method: string;
  /** path below /admin, e.g. `/v1/keys/key_123` */
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface AdminResponse {
  status: number;
  json?: unknown;
  csv?: string;
  html?: string;
}

export const adminError = (status: number, message: string, code: string | null, param: string | null = null) => ({
  status,
  json: { error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param, code } },
});

class Invalid {
  constructor(readonly res: AdminResponse) {}
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = issue?.path.join('.') || null;
  throw new Invalid(
    adminError(
      400,
      `Invalid request: ${param ? `${param}: ` : ''}${issue?.message ?? 'invalid'}`,
      'invalid_value',
      param,
    ),
  );
}

const notFound = () => adminError(404, 'No key with that id.', 'key_not_found', 'id');
const endUserBudgetsOnTeamKey = () =>
  adminError(
    400,
    "Invalid request: end_user_budgets: this key belongs to a team; its end users are the team's (use /v1/teams/{id})",
    'invalid_value',
    'end_user_budgets',
  );

export async function handleAdmin(service: AccountsService, req: AdminRequest): Promise<AdminResponse> {
  try {
    return await route(service, req);
  } catch (err) {
    if (err instanceof Invalid) return err.res;
    throw err;
  }
}

async function route(service: AccountsService, req: AdminRequest): Promise<AdminResponse> {
  const parts = req.path.split('/').filter(Boolean); // ['v1', 'keys', id?, 'credits'?]
  const [v, res, id, sub] = parts;
  if (v !== 'v1' || parts.length > 4) return adminError(404, 'Unknown admin endpoint.', 'not_found');
  const m = req.method.toUpperCase();

  if (res === 'ledger' && parts.length <= 3 && m === 'GET')
    return routeLedger(service, id, req.query, parse, adminError);
  if (res === 'spend' && id === 'series' && parts.length === 3 && m === 'GET') {
    return spendSeries(service, req.query, parse, adminError);
  }
  if (res === 'spend' && parts.length === 2 && m === 'GET') {
    const q = parse(spendSchema, req.query);
    const rows = await service.spend({
      groupBy: q.group_by,
      ...(q.team_id !== undefined ? { teamId: q.team_id } : {}),
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
    });
    return q.format === 'csv'
      ? { status: 200, csv: spendCsv(q.group_by, rows) }
      : { status: 200, json: spendView(q.group_by, rows) };
  }
  if (res === 'teams') {
    return routeTeams(service, m, id, sub, req, parse, adminError, (teamId) => statement(service, teamId, req.query));
  }
  if (res !== 'keys') return adminError(404, 'Unknown admin endpoint.', 'not_found');

  if (id === undefined) {
    if (m === 'GET')
      return { status: 200, json: { object: 'list', data: (await service.listKeys()).map((k) => keyView(k)) } };
    if (m === 'POST') {
      const input = parse(createKeySchema, req.body);
      if (input.teamId !== undefined && !(await service.getTeam(input.teamId))) {
        return adminError(400, 'Invalid request: team_id: no team with that id', 'team_not_found', 'team_id');
      }
      const { key, secret } = await service.createKey(input);
      const d = await service.getKey(key.id);
      return { status: 201, json: { ...(d ? keyDetailView(d.key, d.usage) : keyView(key)), key: secret } };
    }
  } else if (sub === undefined) {
    if (m === 'GET') {
      const d = await service.getKey(id);
      return d ? { status: 200, json: keyDetailView(d.key, d.usage) } : notFound();
    }
    if (m === 'PATCH') {
      const { patch, budgets, endUserBudgets } = parse(patchKeySchema, req.body);
      if (budgets || endUserBudgets !== undefined) {
        const cur = await service.getKey(id);
        if (!cur) return notFound();
        if (budgets) patch.budgets = mergeBudgets(cur.key.budgets, budgets);
        if (endUserBudgets !== undefined) {
          if (cur.key.teamId !== undefined && endUserBudgets !== null) return endUserBudgetsOnTeamKey();
          patch.endUserLimits =
            endUserBudgets === null ? undefined : mergeEndUserLimits(cur.key.endUserLimits, endUserBudgets);
        }
      }
      const k = await service.updateKey(id, patch);
      return k ? { status: 200, json: keyView(k) } : notFound();
    }
    if (m === 'DELETE') {
      const k = await service.revokeKey(id);
      return k ? { status: 200, json: keyView(k) } : notFound();
    }
  } else if (sub === 'end-users' && m === 'GET') {
    const q = parse(endUsersSchema, req.query);
    const cur = await service.getKey(id);
    if (!cur) return notFound();
    // a team's keys share their end users with the team: list them there
    if (cur.key.teamId !== undefined) return endUserBudgetsOnTeamKey();
    return endUsers(service, id, q, notFound);
  } else if (sub === 'credits' && m === 'POST') {
    const b = parse(creditsSchema, req.body);
    const out = await service.addCredits(id, b.amount_usd, b.reason, b.idempotency_key);
    if (!out) return notFound();
    return {
      status: out.applied ? 201 : 200,
      json: {
        object: 'credit',
        key_id: id,
        applied: out.applied,
        amount_usd: formatUsd(b.amount_usd),
        idempotency_key: b.idempotency_key,
        balance_usd: out.usage.balanceNanos === null ? null : formatUsd(out.usage.balanceNanos),
      },
    };
  }
  return adminError(405, `Method ${m} is not allowed here.`, 'method_not_allowed');
}

/** GET /v1/teams/{id}/statement?from=&to= (or month=YYYY-MM; default: this UTC month)&format=json|csv|html */
async function statement(
  service: AccountsService,
  teamId: string,
  query: Record<string, unknown> | undefined,
): Promise<AdminResponse> {
  const q = parse(statementSchema, query);
  const now = new Date();
  const range = q.month
    ? monthRange(q.month)
    : monthRange(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`);
  const from = q.from ?? (q.month || q.to === undefined ? range?.from : 0) ?? 0;
  const to = q.to ?? (q.month || q.from === undefined ? range?.to : Date.now() + 1) ?? Date.now() + 1;
  if (to <= from) return adminError(400, 'Invalid request: to must be after from', 'invalid_value', 'to');
  const s = await service.statement(teamId, from, to);
  if (!s) return adminError(404, 'No team with that id.', 'team_not_found', 'id');
  if (q.format === 'csv') return { status: 200, csv: statementCsv(s) };
  if (q.format === 'html') return { status: 200, html: statementHtml(s) };
  return { status: 200, json: statementJson(s) };
}
