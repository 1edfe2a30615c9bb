// end_user_budgets on the admin API (validation, merge on PATCH, team-only vs team-less keys), the end-users
// listing with pagination, a team-less key's end users, and the CLI flags.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleAdmin } from '../../src/accounts/admin/admin-api.js';
import {
  type CliArgs,
  keysCreateCommand,
  keysEndUsersCommand,
  teamsCreateCommand,
  teamsEndUsersCommand,
} from '../../src/accounts/cli/index.js';
import { type Accounts, createAccounts } from '../../src/accounts/index.js';
import { gptCost, okOutcome, plan, prices, request } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sy-eu-admin-'));
let acc: Accounts;
const admin = (method: string, p: string, body?: unknown, query?: Record<string, unknown>) =>
  handleAdmin(acc.service, { method, path: p, ...(body !== undefined && { body }), ...(query && { query }) });
const json = (r: { json?: unknown }) => r.json as Record<string, unknown> & { error?: { param: string } };

beforeAll(async () => {
  acc = await createAccounts({ store: `sqlite:${path.join(dir, 'eu.db')}`, priceSource: prices, keyCacheMs: 0 });
});
afterAll(async () => {
  await acc.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('end_user_budgets validation', () => {
  it.each([
    [{ daily_usd: '-1' }, 'end_user_budgets.daily_usd'],
    [{ monthly_usd: '0.0000000001' }, 'end_user_budgets.monthly_usd'],
    [{ total_usd: 'ten' }, 'end_user_budgets.total_usd'],
    [{ rpm: 0 }, 'end_user_budgets.rpm'],
    [{ rpm: 1.5 }, 'end_user_budgets.rpm'],
    [{ rpm: '60' }, 'end_user_budgets.rpm'],
    [{ tpm: 100 }, 'end_user_budgets'],
    ['5', 'end_user_budgets'],
  ])('POST /v1/teams with end_user_budgets %j is a 400 naming %s', async (eu, param) => {
    const r = await admin('POST', '/v1/teams', { name: 't', end_user_budgets: eu });
    expect(r.status).toBe(400);
    expect(json(r).error?.param).toBe(param);
  });

  it('create shows them; PATCH merges field by field, null removes one, null removes all', async () => {
    const c = await admin('POST', '/v1/teams', {
      name: 'eu',
      end_user_budgets: { daily_usd: '0.50', monthly_usd: 5, rpm: 30 },
    });
    expect(c.status).toBe(201);
    const id = json(c).id as string;
    expect(json(c).end_user_budgets).toEqual({ daily_usd: '0.50', monthly_usd: '5.00', total_usd: null, rpm: 30 });
    const p1 = await admin('PATCH', `/v1/teams/${id}`, { end_user_budgets: { total_usd: '9', daily_usd: null } });
    expect(json(p1).end_user_budgets).toEqual({ daily_usd: null, monthly_usd: '5.00', total_usd: '9.00', rpm: 30 });
    const shown = await admin('GET', `/v1/teams/${id}`);
    expect(json(shown).end_user_budgets).toEqual(json(p1).end_user_budgets);
    const p2 = await admin('PATCH', `/v1/teams/${id}`, { end_user_budgets: null });
    expect(json(p2).end_user_budgets).toBeNull();
    expect((await acc.store.getTeam(id))?.endUserLimits).toBeUndefined();
    const p3 = await admin('PATCH', `/v1/teams/${id}`, { end_user_budgets: { rpm: -1 } });
    expect(p3.status).toBe(400);
  });

  it("a team's key cannot carry its own end_user_budgets; a team-less key can", async () => {
    const team = json(await admin('POST', '/v1/teams', { name: 'owner' })).id as string;
    const bad = await admin('POST', '/v1/keys', { name: 'k', team_id: team, end_user_budgets: { rpm: 5 } });
    expect(bad.status).toBe(400);
    expect(json(bad).error?.param).toBe('end_user_budgets');
    const member = json(await admin('POST', '/v1/keys', { name: 'k', team_id: team })).id as string;
    const patch = await admin('PATCH', `/v1/keys/${member}`, { end_user_budgets: { rpm: 5 } });
    expect(patch.status).toBe(400);
    expect((await admin('GET', `/v1/keys/${member}/end-users`)).status).toBe(400);
    const solo = await admin('POST', '/v1/keys', { name: 'solo', end_user_budgets: { total_usd: '1' } });
    expect(solo.status).toBe(201);
    expect(json(solo).end_user_budgets).toEqual({ daily_usd: null, monthly_usd: null, total_usd: '1.00', rpm: null });
  });
});

describe('end users of a team-less key, and the listing', () => {
  it("a team-less key's end users are limited each on their own, and listed with their figures", async () => {
    const { key, secret } = await acc.service.createKey({
      name: 'solo-app',
      endUserLimits: { budgets: { totalNanos: gptCost(1000, 500) } },
    });
    const t = await acc.admission.admit(request(secret, { endUser: 'dave' }), plan());
    const refused = await acc.admission.admit(request(secret, { endUser: 'dave' }), plan()).catch((e) => e);
    expect(refused).toMatchObject({ status: 429, code: 'budget_exceeded', param: 'user' });
    expect(refused.message).toBe('Total budget exceeded for this end user.');
    (await acc.admission.admit(request(secret, { endUser: 'erin' }), plan())).settle(okOutcome(1000, 10));
    (await acc.admission.admit(request(secret), plan())).settle(okOutcome(1000, 10)); // no end user: not limited
    t.settle(okOutcome(1000, 100));
    const r = await admin('GET', `/v1/keys/${key.id}/end-users`);
    expect(r.status).toBe(200);
    expect(json(r)).toMatchObject({
      key_id: key.id,
      has_more: false,
      data: [
        { end_user: 'dave', spent_usd: '0.0012', reserved_usd: '0.00' },
        { end_user: 'erin', spent_usd: '0.00102', reserved_usd: '0.00' },
      ],
    });
  });

  it('pages through a team in order with limit and after; unknown team 404, bad limit 400', async () => {
    const team = await acc.service.createTeam({ name: 'paged', endUserLimits: { budgets: {}, rpm: 100 } });
    const { secret } = await acc.service.createKey({ name: 'p', teamId: team.id });
    for (const u of ['c', 'a', 'b', 'a']) {
      (await acc.admission.admit(request(secret, { endUser: u }), plan())).settle(okOutcome(1000, 0));
    }
    const p1 = json(await admin('GET', `/v1/teams/${team.id}/end-users`, undefined, { limit: '2' }));
    expect(p1.data).toEqual([
      expect.objectContaining({ end_user: 'a', spent_today_usd: '0.002', spent_this_month_usd: '0.002' }),
      expect.objectContaining({ end_user: 'b', spent_usd: '0.001' }),
    ]);
    expect(p1).toMatchObject({ has_more: true, next_after: 'b', team_id: team.id });
    const p2 = json(await admin('GET', `/v1/teams/${team.id}/end-users`, undefined, { limit: '2', after: 'b' }));
    expect(p2).toMatchObject({ has_more: false, next_after: null, data: [expect.objectContaining({ end_user: 'c' })] });
    expect((await admin('GET', '/v1/teams/team_nope/end-users')).status).toBe(404);
    const bad = await admin('GET', `/v1/teams/${team.id}/end-users`, undefined, { limit: '1000' });
    expect(bad.status).toBe(400);
  });
});

describe('CLI', () => {
  it('teams create --end-user-* and teams end-users', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
    const store = `sqlite:${path.join(dir, 'cli.db')}`;
    const a: CliArgs = {
      values: { name: 'cli', 'end-user-daily': '2', 'end-user-total': '10', 'end-user-rpm': '60' },
      positionals: [],
    };
    expect(await teamsCreateCommand(a, { store }, io)).toBe(0);
    const team = JSON.parse(out[0]!);
    expect(team.end_user_budgets).toEqual({ daily_usd: '2.00', monthly_usd: null, total_usd: '10.00', rpm: 60 });
    expect(await teamsEndUsersCommand({ values: { limit: '5' }, positionals: [team.id] }, { store }, io)).toBe(0);
    expect(JSON.parse(out[1]!)).toMatchObject({ object: 'list', data: [], has_more: false });
    const key = { values: { name: 'solo', 'end-user-rpm': '5', 'end-user-monthly': '3' }, positionals: [] };
    expect(await keysCreateCommand(key, { store }, io)).toBe(0);
    const created = JSON.parse(out[2]!);
    expect(created.end_user_budgets).toEqual({ daily_usd: null, monthly_usd: '3.00', total_usd: null, rpm: 5 });
    expect(await keysEndUsersCommand({ values: {}, positionals: [created.id] }, { store }, io)).toBe(0);
    expect(JSON.parse(out[3]!)).toMatchObject({ key_id: created.id, data: [] });
  });
});
