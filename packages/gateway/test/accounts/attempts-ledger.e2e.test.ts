// The attempts of a call, from the executor to the ledger and the admin API, through a real gateway process on
// each store: a fallback records 2 upstream attempts, a retry then a fallback 3, a plain call 1. The JSON of one
// call, the listing and the CSV (attempts as its last column) agree with the x-switchyard-attempts header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faulty, post, startTestbed, type Testbed } from '../../../../test/support/gateway.js';
import { parseUsd } from '../../src/accounts/money.js';
import { serversMissing, skipReason, useRealServers } from './real-servers.js';

const scenarios = (store: () => Promise<string>) => () => {
  let bed: Testbed;
  let key = '';
  let keyId = '';
  beforeAll(async () => {
    bed = await startTestbed({
      // '' keeps the testbed's own SQLite file
      ...(await store().then((url) => (url ? { accounts: { store: url } } : {}))),
      providers: (sims, k) => ({ broken: faulty(sims, 'openai', k, { fault: { kind: 'status', status: 500 } }) }),
      routes: {
        'falls-back': { strategy: 'fallback', targets: ['broken/gpt-4o-mini', 'openai/gpt-4o-mini'] },
        'retries-then-falls-back': {
          strategy: 'fallback',
          targets: ['broken/gpt-4o-mini', 'openai/gpt-4o-mini'],
          retry: { maxAttempts: 2 },
        },
      },
      retry: { maxAttempts: 1 },
    });
    ({ key, id: keyId } = await bed.createKey({ name: 'attempts', credits_usd: '10' }));
  }, 120_000);
  afterAll(() => bed?.close());

  it('records each call’s upstream attempts; the API’s JSON and CSV return them', async () => {
    const calls: { id: string; attempts: number }[] = [];
    for (const [model, attempts] of [
      ['openai/gpt-4o-mini', 1],
      ['falls-back', 2],
      ['retries-then-falls-back', 3],
    ] as const) {
      const r = await post(
        `${bed.gw.url}/v1/chat/completions`,
        { model, messages: [{ role: 'user', content: `via ${model}` }], max_tokens: 16 },
        { authorization: `Bearer ${key}` },
      );
      expect(r.status, model).toBe(200);
      expect(r.headers.get('x-switchyard-provider'), model).toBe('openai');
      expect(r.headers.get('x-switchyard-attempts'), model).toBe(String(attempts));
      calls.push({ id: r.headers.get('x-request-id') ?? '', attempts });
    }
    for (const c of calls) {
      const one = await bed.admin('GET', `/v1/ledger/${c.id}`);
      expect(one.status).toBe(200);
      expect(one.json).toMatchObject({ request_id: c.id, provider: 'openai', outcome: 'ok', attempts: c.attempts });
    }
    const list = await bed.admin('GET', `/v1/ledger?key_id=${keyId}&kind=call`);
    expect(list.json.data.map((r: { attempts: number }) => r.attempts)).toEqual([3, 2, 1]);

    const res = await fetch(`${bed.gw.url}/admin/v1/ledger?key_id=${keyId}&kind=call&format=csv`, {
      headers: { authorization: `Bearer ${bed.adminToken}` },
      signal: AbortSignal.timeout(10_000),
    });
    const [head, ...rows] = (await res.text()).trimEnd().split('\n');
    expect(head?.split(',').at(-1)).toBe('attempts');
    expect(rows.map((l) => l.split(',').at(-1))).toEqual(['3', '2', '1']);
    // the failed attempts cost nothing: the key paid exactly its three ledger rows
    const paid = list.json.data.reduce((s: bigint, r: { debit_usd: string }) => s + parseUsd(r.debit_usd), 0n);
    expect(paid).toBeGreaterThan(0n);
    const detail = await bed.admin('GET', `/v1/keys/${keyId}`);
    expect(parseUsd(detail.json.balance_usd)).toBe(parseUsd('10') - paid);
  }, 60_000);
};

describe(
  'attempts in the ledger: sqlite',
  scenarios(async () => ''),
);

const servers = useRealServers();
describe.skipIf(serversMissing.length > 0)(
  `attempts in the ledger: redis+postgres${skipReason ? ` (${skipReason})` : ''}`,
  scenarios(() => servers.url()),
);
