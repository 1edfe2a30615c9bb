// The teams admin API: lifecycle, idempotent pool credits, key membership, spend by team / end user / tag, and
// statements whose totals equal the ledger (JSON and CSV agree; HTML is escaped).
import { describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/accounts/index.js';
import { GatewayError } from '../../src/pipeline/seams.js';
import { useAdminBed } from './admin-bed.js';
import { okOutcome, plan, request } from './helpers.js';

const TOKEN = 'admin-test-token-teams';
const bed = useAdminBed(TOKEN, { keyCacheMs: 0 });
const call = bed.call;

describe('teams admin API', () => {
  let teamId = '';
  const secrets: string[] = [];

  it('creates, lists, shows and patches a team; credits are idempotent', async () => {
    const c = await call('POST', '/v1/teams', {
      name: 'Research <b>&',
      credits_usd: '1.00',
      budgets: { monthly_usd: '5' },
      max_concurrency: 50,
      tags: ['r&d'],
    });
    expect(c.status).toBe(201);
    teamId = c.json.id;
    expect(teamId).toMatch(/^team_/);
    expect(c.json.balance_usd).toBe('1.00');
    expect(c.json.budgets.monthly_usd).toBe('5.00');
    const list = await call('GET', '/v1/teams');
    expect(list.json.data.map((t: { id: string }) => t.id)).toContain(teamId);
    const top = { amount_usd: '0.50', reason: 'top-up', idempotency_key: 'nov-1' };
    expect((await call('POST', `/v1/teams/${teamId}/credits`, top)).status).toBe(201);
    const again = await call('POST', `/v1/teams/${teamId}/credits`, top);
    expect(again.status).toBe(200);
    expect(again.json.applied).toBe(false);
    expect(again.json.balance_usd).toBe('1.50');
    const p = await call('PATCH', `/v1/teams/${teamId}`, { rpm: 1000, budgets: { monthly_usd: null } });
    expect(p.json.rpm).toBe(1000);
    expect(p.json.budgets.monthly_usd).toBeNull();
    expect((await call('GET', '/v1/teams/team_nope')).status).toBe(404);
    expect((await call('POST', '/v1/teams', { name: '' })).status).toBe(400);
  });

  it('keys join a team by team_id (an unknown team is a 400) and spend its pool', async () => {
    expect((await call('POST', '/v1/keys', { name: 'x', team_id: 'team_nope' })).status).toBe(400);
    for (const name of ['alpha', 'beta']) {
      const k = await call('POST', '/v1/keys', { name, team_id: teamId });
      expect(k.status).toBe(201);
      expect(k.json.team_id).toBe(teamId);
      secrets.push(k.json.key);
    }
    const users = ['alice', 'bob', 'alice'];
    for (const [i, u] of users.entries()) {
      const t = await bed.acc.admission.admit(
        request(secrets[i % 2], { endUser: u, tags: i === 2 ? ['a', 'b'] : ['a'] }),
        plan(),
      );
      t.settle(okOutcome(1000, 100 * (i + 1)));
    }
    await bed.acc.store.flush();
    const team = await call('GET', `/v1/teams/${teamId}`);
    const spent = 3n * 1_000_000n + (100n + 200n + 300n) * 2000n;
    expect(team.json.spent_usd).toBe(formatUsd(spent));
    expect(team.json.balance_usd).toBe(formatUsd(1_500_000_000n - spent));
    expect(team.json.reserved_usd).toBe('0.00');
    const byUser = await call('GET', `/v1/spend?group_by=end_user&team_id=${teamId}`);
    expect(byUser.json.data.map((r: { end_user: string }) => r.end_user)).toEqual(['alice', 'bob']);
    const byTag = await call('GET', '/v1/spend?group_by=tag');
    expect(byTag.json.data.find((r: { tag: string }) => r.tag === 'a').requests).toBe(3);
    expect(byTag.json.data.find((r: { tag: string }) => r.tag === 'b').requests).toBe(1);
    const byTeam = await call('GET', '/v1/spend?group_by=team');
    expect(byTeam.json.data.find((r: { team: string }) => r.team === teamId).cost_usd).toBe(formatUsd(spent));
  });

  it('a statement equals the ledger to the nano; JSON and CSV agree; HTML is escaped', async () => {
    const j = await call('GET', `/v1/teams/${teamId}/statement`);
    expect(j.status).toBe(200);
    const rows = await bed.acc.store.teamLedger(teamId, 0, Date.now() + 1);
    const cost = rows.filter((r) => r.kind === 'call').reduce((s, r) => s + r.costNanos, 0n);
    const credits = rows.filter((r) => r.kind === 'credit').reduce((s, r) => s + r.amountNanos, 0n);
    expect(j.json.spend_usd).toBe(formatUsd(cost));
    expect(j.json.credits_usd).toBe(formatUsd(credits));
    expect(j.json.opening_balance_usd).toBe('0.00');
    expect(j.json.closing_balance_usd).toBe(formatUsd(credits - cost));
    const usage = await bed.acc.store.usage(teamId, Date.now());
    expect(j.json.closing_balance_usd).toBe(formatUsd(usage.balanceNanos!));
    for (const g of ['provider', 'model', 'key', 'end_user']) {
      const sum = j.json.spend_by[g].reduce((s: bigint, r: { cost_usd: string }) => s + toNanos(r.cost_usd), 0n);
      expect(sum).toBe(cost);
    }
    const csv = await call('GET', `/v1/teams/${teamId}/statement?format=csv`);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\n').slice(1);
    const fromCsv = (section: string, name: string) =>
      lines.find((l) => l.startsWith(`${section},${name},`))?.split(',')[2];
    expect(fromCsv('summary', 'spend')).toBe(j.json.spend_usd);
    expect(fromCsv('summary', 'closing_balance')).toBe(j.json.closing_balance_usd);
    for (const r of j.json.spend_by.end_user) expect(fromCsv('spend_by_end_user', r.name)).toBe(r.cost_usd);
    const html = await call('GET', `/v1/teams/${teamId}/statement?format=html`);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toContain('Research &lt;b&gt;&amp;');
    expect(html.text).not.toContain('<b>&');
    expect(html.text).toContain(`$${j.json.closing_balance_usd}`);
    const before = await call('GET', `/v1/teams/${teamId}/statement?month=2020-01`);
    expect(before.json.spend_usd).toBe('0.00');
    expect((await call('GET', `/v1/teams/${teamId}/statement?month=2020-13`)).status).toBe(400);
  });

  it('disabling a team refuses its keys and keeps its rows', async () => {
    const d = await call('DELETE', `/v1/teams/${teamId}`);
    expect(d.json.status).toBe('disabled');
    await expect(bed.acc.admission.admit(request(secrets[0]), plan())).rejects.toBeInstanceOf(GatewayError);
    expect((await call('GET', `/v1/teams/${teamId}`)).json.spent_usd).not.toBe('0.00');
  });
});

function toNanos(usd: string): bigint {
  const [i = '0', f = ''] = usd.split('.');
  return BigInt(i) * 1_000_000_000n + BigInt(f.padEnd(9, '0'));
}
