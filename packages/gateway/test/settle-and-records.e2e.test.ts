// The accounting chokepoint: every admitted request is settled or released exactly once — JSON, streams, errors,
// client disconnects — with CallRecords carrying usage and integer cost; observers see every attempt.
import type { CallRecord } from '@switchyard/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleChat } from '../src/pipeline/handle-chat.js';
import type { Admission, CallOutcome, GatewayObserver } from '../src/pipeline/seams.js';
import { openAIErrorSchema } from '../src/providers/openai/openai-response-schema.js';
import { type Harness, resetSims, startHarness } from './helpers.js';

interface Ticketed {
  settled: CallOutcome[];
  released: number;
  key?: string;
}
const tickets: Ticketed[] = [];
const admitted: Array<{ endUser?: string; tags?: string[] }> = [];
const attempts: Array<{ record: CallRecord; kind: string }> = [];
const finished: Array<{ status: number; errorClass?: string }> = [];

const admission: Admission = {
  async admit(req) {
    admitted.push({ ...(req.endUser && { endUser: req.endUser }), ...(req.tags && { tags: req.tags }) });
    if (req.clientKey === 'sk-refused') {
      const { GatewayError } = await import('../src/pipeline/seams.js');
      throw new GatewayError(402, 'insufficient_quota', 'insufficient_credits', 'Not enough credit');
    }
    const t: Ticketed = { settled: [], released: 0, ...(req.clientKey && { key: req.clientKey }) };
    tickets.push(t);
    return {
      keyId: 'k1',
      headers: { 'x-ratelimit-remaining-requests': '9' },
      settle: (o) => t.settled.push(o),
      release: () => {
        t.released++;
      },
    };
  },
};
const observer: GatewayObserver = {
  requestStarted() {},
  attemptFinished: (record, info) => attempts.push({ record, kind: info.kind }),
  requestFinished: (_req, s) => finished.push({ status: s.status, ...(s.errorClass && { errorClass: s.errorClass }) }),
};

let h: Harness;
let client: OpenAI;
beforeAll(async () => {
  h = await startHarness({}, { admission, observer });
  client = new OpenAI({ apiKey: 'sk-client', baseURL: `${h.gw.url}/v1`, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  resetSims(h.sims);
  tickets.length = 0;
  admitted.length = 0;
  attempts.length = 0;
  finished.length = 0;
});

const once = (t: Ticketed | undefined) => (t ? t.settled.length + t.released : -1);
const waitFor = async (cond: () => boolean) => {
  for (let i = 0; i < 150 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('settle / release exactly once', () => {
  it('JSON: settles after the answer is written; with no writer to say so, on the next macrotask, still once', async () => {
    const out = await handleChat(
      {
        body: { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] },
        headers: { authorization: 'Bearer sk-client' },
        signal: new AbortController().signal,
      },
      h.gw.app.switchyard.deps,
    );
    expect(out.status).toBe(200);
    expect(once(tickets[0])).toBe(0); // waiting for the writer's `sent`
    await new Promise((r) => setImmediate(r));
    expect(once(tickets[0])).toBe(1);
    expect(tickets[0]?.settled[0]?.ok).toBe(true);
    if ('json' in out) out.sent?.(); // a late writer cannot settle it twice
    expect(once(tickets[0])).toBe(1);
    expect(finished).toEqual([{ status: 200 }]);
  });

  it('JSON: settled with usage, cost in nanos and the ticket headers on the response', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('9');
    expect(tickets[0]?.key).toBe('sk-client');
    expect(once(tickets[0])).toBe(1);
    const outcome = tickets[0]?.settled[0];
    expect(outcome?.ok).toBe(true);
    expect(outcome?.usage?.outputTokens).toBe(data.usage?.completion_tokens);
    expect(typeof outcome?.cost?.totalNanos).toBe('bigint');
    expect(Number(outcome?.cost?.totalNanos) / 1e9).toBeCloseTo((data.usage as unknown as { cost: number }).cost, 9);
    expect(outcome?.records[0]).toMatchObject({ provider: 'anthropic', providerId: 'anthropic', outcome: 'ok' });
    expect(outcome?.attempts).toBe(1);
    expect(finished).toEqual([{ status: 200 }]);
  });

  it('stream: settled when the stream ends, record has time to first token', async () => {
    const stream = await client.chat.completions.create({
      model: 'gemini/gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    for await (const _ of stream);
    await waitFor(() => once(tickets[0]) === 1);
    expect(once(tickets[0])).toBe(1);
    const record = tickets[0]?.settled[0]?.records.at(-1);
    expect(record?.streaming).toBe(true);
    expect(record?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(record?.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('fallback: failed attempt recorded, settle carries both records', async () => {
    h.sims.anthropic.setScenario({ fault: { status: 500 } });
    await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] });
    const records = tickets[0]?.settled[0]?.records ?? [];
    expect(records.map((r) => r.outcome)).toContain('error');
    expect(records.at(-1)).toMatchObject({ providerId: 'openai', outcome: 'ok' });
    expect(tickets[0]?.settled[0]?.attempts).toBe(records.length); // every upstream try, the failed ones too
    expect(records.length).toBeGreaterThanOrEqual(2);
    expect(attempts.some((a) => a.record.error?.errorClass === 'upstream_5xx')).toBe(true);
  });

  it('all targets failing: released, not settled; OpenAI error body', async () => {
    h.sims.openai.setScenario({ fault: { status: 400 } });
    const res = await fetch(`${h.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(400);
    expect(openAIErrorSchema.safeParse(await res.json()).success).toBe(true);
    expect(tickets[0]).toMatchObject({ settled: [], released: 1 });
    expect(finished[0]?.status).toBe(400);
  });

  it('admission refusal: its status and OpenAI body, no upstream call', async () => {
    const res = await fetch(`${h.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-refused' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(402);
    const body = await res.json();
    expect(openAIErrorSchema.safeParse(body).success).toBe(true);
    expect(JSON.stringify(body)).not.toContain('sk-refused');
    expect(h.sims.openai.stats.requests).toBe(0);
  });

  it('client disconnect mid-stream: settled once as an error (cancelled)', async () => {
    h.sims.openai.setScenario({ chunkDelayMs: 30, outputTokens: 100 });
    const ac = new AbortController();
    const res = await fetch(`${h.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'x' }] }),
      signal: ac.signal,
    });
    await res.body?.getReader().read();
    ac.abort();
    await waitFor(() => once(tickets[0]) === 1);
    expect(once(tickets[0])).toBe(1);
    expect(tickets[0]?.settled[0]?.error?.errorClass).toBe('cancelled');
  });
});

describe('attribution: end user and tags reach admission (and so the ledger row)', () => {
  it('the body user and x-switchyard-tags; the header end user wins over the body', async () => {
    await client.chat.completions.create(
      { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], user: 'alice' },
      { headers: { 'x-switchyard-tags': 'search,beta' } },
    );
    await client.chat.completions.create(
      { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], user: 'alice' },
      { headers: { 'x-switchyard-end-user': 'bob' } },
    );
    expect(admitted).toEqual([{ endUser: 'alice', tags: ['search', 'beta'] }, { endUser: 'bob' }]);
  });

  it('malformed tags are a 400 in OpenAI format before admission', async () => {
    const res = await fetch(`${h.gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', 'x-switchyard-tags': 'a b' },
      body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(400);
    expect(openAIErrorSchema.parse(await res.json()).error.code).toBe('invalid_tags');
    expect(admitted).toEqual([]);
  });
});
