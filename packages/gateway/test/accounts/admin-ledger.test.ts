// The admin API's ledger listing (filters, pages, CSV) and spend series, which the admin console reads.
import { beforeAll, describe, expect, it } from 'vitest';
import { useAdminBed } from './admin-bed.js';
import { okOutcome, plan, request } from './helpers.js';

const TOKEN = 'admin-ledger-token-123';
const bed = useAdminBed(TOKEN);
const get = async (p: string) => {
  const r = await bed.call('GET', p);
  return { ...r, type: r.headers.get('content-type') ?? '' };
};

describe('GET /admin/v1/ledger', () => {
  let keyId = '';
  beforeAll(async () => {
    const { key, secret } = await bed.acc.service.createKey({ name: 'ledgered', creditsNanos: 1_000_000_000n });
    keyId = key.id;
    for (let i = 0; i < 3; i++) {
      const t = await bed.acc.admission.admit(request(secret), plan());
      // $0.002 each; the newest fell back once (2 attempts), the oldest does not say (unknown)
      t.settle({ ...okOutcome(1000, 500), ...(i > 0 && { attempts: i }) });
    }
  });

  it('lists calls and credits newest first, filtered, with keyset pages and call details', async () => {
    const all = await get(`/v1/ledger?key_id=${keyId}`);
    expect(all.status).toBe(200);
    expect(all.json.data.map((r: { kind: string }) => r.kind)).toEqual(['call', 'call', 'call', 'credit']);
    expect(all.json.has_more).toBe(false);
    const call = all.json.data[0];
    expect(call).toMatchObject({ provider: 'openai', model: 'gpt-test', input_tokens: 1000, cost_usd: '0.002' });
    expect(all.json.data.map((r: { attempts?: unknown }) => r.attempts)).toEqual([2, 1, null, undefined]);
    expect(all.json.data[3]).toMatchObject({ kind: 'credit', amount_usd: '1.00', reason: expect.any(String) });

    const p1 = await get(`/v1/ledger?key_id=${keyId}&kind=call&limit=2`);
    expect(p1.json).toMatchObject({ has_more: true, next_before: expect.any(Number) });
    const p2 = await get(`/v1/ledger?key_id=${keyId}&kind=call&limit=2&before=${p1.json.next_before}`);
    expect(p2.json.data).toHaveLength(1);
    expect(p2.json.has_more).toBe(false);

    const one = await get(`/v1/ledger/${call.request_id}`);
    expect(one.json).toEqual(call);
    expect((await get('/v1/ledger/req_nope')).status).toBe(404);
    expect((await get('/v1/ledger?provider=nope')).json.data).toEqual([]);
  });

  it('exports the same rows as CSV', async () => {
    const csv = await get(`/v1/ledger?key_id=${keyId}&format=csv`);
    expect(csv.type).toMatch(/text\/csv/);
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^created_at,kind,request_id,key_id,/);
    expect(lines[0]).toMatch(/,outcome,error_class,reason,attempts$/); // new columns go last
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain(',openai,gpt-test,1000,500,');
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(['2', '1', '', '']);
  });

  it('refuses bad filters with a 400 naming the parameter', async () => {
    for (const q of ['limit=0', 'limit=1001', 'kind=refund', 'before=x', 'from=yesterday', 'colour=red']) {
      const r = await get(`/v1/ledger?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error.code).toBe('invalid_value');
    }
    expect((await get('/v1/ledger?limit=5000&format=csv')).status).toBe(200);
  });
});

describe('GET /admin/v1/spend/series', () => {
  it('buckets calls, errors and cost per day and group', async () => {
    const r = await get('/v1/spend/series?group_by=model&interval=day');
    expect(r.status).toBe(200);
    const today = `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;
    expect(r.json.data).toContainEqual({ bucket: today, model: 'gpt-test', requests: 3, errors: 0, cost_usd: '0.006' });
    const hours = await get('/v1/spend/series?group_by=provider&interval=hour');
    expect(hours.json.data[0]).toMatchObject({ provider: 'openai', requests: 3 });
    expect((await get('/v1/spend/series?interval=hour&from=2020-01-01')).status).toBe(400);
    expect((await get('/v1/spend/series?group_by=day')).status).toBe(400);
  });
});
