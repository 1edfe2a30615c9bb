// A hostile tenant (a virtual key, fetch, some creativity) and a misbehaving upstream against real gateway
// processes: one on SQLite, three replicas on real Redis + Postgres. Each case ends with the right charge, a clear
// refusal or a clear error; after each, no balance below zero (beyond one call's estimation error), every served
// call has a ledger row of at least what the provider billed, and `switchyard ledger verify` is clean.
// The figures (cases tried, money lost) are printed for the README reliability table.
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputTokenBound } from '../../packages/gateway/src/accounts/input-bound.js';
import { type Json, sleep, waitFor } from '../support/gateway.js';
import { missingServers } from '../support/servers.js';
import { type HostileBed, type StoreKind, startHostileBed } from './hostile-bed.js';

const GPT_IN = 2e-6; // gpt-4.1, USD per token (catalog)
const GPT_OUT = 8e-6;
const missing = missingServers();
const figures: { store: StoreKind; case: string; calls: number; served: number; lostUsd: number }[] = [];

async function call(
  bed: HostileBed,
  i: number,
  path: string,
  key: string,
  body: unknown,
  init: { headers?: Record<string, string>; raw?: RequestInit['body']; duplex?: boolean } = {},
) {
  const res = await fetch(`${bed.url(i)}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
    body: init.raw ?? JSON.stringify(body),
    ...(init.duplex && { duplex: 'half' }),
    signal: AbortSignal.timeout(60_000),
  } as RequestInit);
  const text = await res.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, json };
}

/** Reads a stream until `textBytes` of content arrived, then aborts; returns the text bytes received. */
async function readThenAbort(bed: HostileBed, i: number, path: string, key: string, body: unknown, textBytes: number) {
  const ac = new AbortController();
  const res = await fetch(`${bed.url(i)}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: ac.signal,
  });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const dec = new TextDecoder();
  let buf = '';
  let got = 0;
  const deadline = Date.now() + 30_000;
  while (got < textBytes && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    const events = buf.split('\n\n');
    buf = events.pop() ?? '';
    for (const ev of events) {
      for (const m of ev.matchAll(/"(?:content|text)":"((?:[^"\\]|\\.)*)"/g)) got += Buffer.byteLength(m[1] ?? '');
    }
  }
  ac.abort();
  await reader.cancel().catch(() => {});
  return got;
}

/** After every scenario: ledger verify clean and (redis) no reservation left open. */
async function settled(bed: HostileBed, keyIds: string[]) {
  for (const id of keyIds) {
    await waitFor(
      async () => Number((await bed.admin('GET', `/v1/keys/${id}`)).json.reserved_usd) === 0,
      30_000,
      `reservations of ${id} released`,
    );
  }
  const v = await bed.verify();
  expect(v.output).toContain('0 mismatches');
  expect(v.output).toContain('0 quarantined');
  expect(v.code).toBe(0);
}

function record(bed: HostileBed, name: string, calls: number, served: number, billedUsd: number, chargedUsd: number) {
  // Money lost: what the provider billed for served calls that the ledger did not charge (to the nano, rounded).
  const lost = Math.max(0, Math.round((billedUsd - chargedUsd) * 1e9) / 1e9);
  figures.push({ store: bed.kind, case: name, calls, served, lostUsd: lost });
  expect(lost).toBe(0);
}

const billedSince = (bed: HostileBed, from: number, mode: string) =>
  bed.upstream.billed.slice(from).filter((b) => b.mode === mode);

const cases = (kind: StoreKind) => {
  let bed: HostileBed;
  beforeAll(async () => {
    bed = await startHostileBed(kind);
  }, 180_000);
  afterAll(async () => {
    await bed?.close();
  });

  it('a large prompt sent chunked or gzip reserves from the decoded body: no overspend', async () => {
    const credits = 0.45;
    const { id, key } = await bed.createKey({ name: 'chunked', credits_usd: String(credits) });
    // ~200 KB of text: the provider bills ~50K input tokens (~$0.10) per call; six calls would need $0.60.
    const body = {
      model: 'bill/gpt-4.1',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'a b '.repeat(50_000) }],
    };
    const json = JSON.stringify(body);
    const from = bed.upstream.billed.length;
    const chunked = () =>
      new ReadableStream<Uint8Array>({
        start(c) {
          const b = Buffer.from(json);
          for (let o = 0; o < b.length; o += 64 * 1024) c.enqueue(b.subarray(o, o + 64 * 1024));
          c.close();
        },
      });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 === 0
          ? call(bed, i, '/v1/chat/completions', key, null, { raw: chunked(), duplex: true })
          : call(bed, i, '/v1/chat/completions', key, null, {
              raw: gzipSync(json),
              headers: { 'content-encoding': 'gzip' },
            }),
      ),
    );
    for (const r of results) expect([200, 402]).toContain(r.status);
    const served = results.filter((r) => r.status === 200).length;
    await settled(bed, [id]);
    const billed = billedSince(bed, from, 'bill');
    expect(billed.length).toBe(served);
    const billedUsd = billed.reduce((s, b) => s + b.prompt * GPT_IN + b.completion * GPT_OUT, 0);
    const spend = await bed.spendOf(id);
    expect(spend.requests).toBe(served);
    expect(await bed.balanceUsd(id)).toBeGreaterThanOrEqual(0);
    record(bed, 'chunked/gzip prompt', 6, served, billedUsd, spend.costUsd);
  }, 120_000);

  it('n scales the reservation: 20 concurrent n=16 calls on a $0.05 key never overspend', async () => {
    const { id, key } = await bed.createKey({ name: 'n', credits_usd: '0.05' });
    const from = bed.upstream.billed.length;
    const body = { model: 'bill/gpt-4.1', n: 16, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(bed, i, '/v1/chat/completions', key, body)),
    );
    for (const r of results) expect([200, 402]).toContain(r.status);
    const served = results.filter((r) => r.status === 200).length;
    expect(served).toBeGreaterThan(0);
    await settled(bed, [id]);
    const billed = billedSince(bed, from, 'bill');
    const billedUsd = billed.reduce((s, b) => s + b.prompt * GPT_IN + b.completion * GPT_OUT, 0);
    const spend = await bed.spendOf(id);
    expect(spend.requests).toBe(served);
    expect(await bed.balanceUsd(id)).toBeGreaterThanOrEqual(0);
    record(bed, 'n=16 multiplier', 20, served, billedUsd, spend.costUsd);
  }, 120_000);

  it('a repeated (or another tenant’s) x-request-id: ten calls, ten ledger rows, ten charges', async () => {
    const a = await bed.createKey({ name: 'dup-a', credits_usd: '1' });
    const b = await bed.createKey({ name: 'dup-b', credits_usd: '1' });
    const from = bed.upstream.billed.length;
    const body = { model: 'bill/gpt-4.1', max_tokens: 16, messages: [{ role: 'user', content: 'same id' }] };
    const headers = { 'x-request-id': `dup-${kind.length}-fixed` };
    for (let i = 0; i < 10; i++) {
      const r = await call(bed, i, '/v1/chat/completions', a.key, body, { headers });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-request-id')).toBe(headers['x-request-id']); // echoed as a label
    }
    const other = await call(bed, 0, '/v1/chat/completions', b.key, body, { headers });
    expect(other.status).toBe(200);
    await settled(bed, [a.id, b.id]);
    const billed = billedSince(bed, from, 'bill');
    const per = (billed[0]?.prompt ?? 0) * GPT_IN + (billed[0]?.completion ?? 0) * GPT_OUT;
    const sa = await bed.spendOf(a.id);
    const sb = await bed.spendOf(b.id);
    expect(sa.requests).toBe(10);
    expect(sb.requests).toBe(1);
    expect(await bed.balanceUsd(a.id)).toBeCloseTo(1 - sa.costUsd, 9);
    record(bed, 'duplicate x-request-id', 11, 11, per * 11, sa.costUsd + sb.costUsd);
  }, 120_000);

  it('a client abort mid-stream is charged for what was delivered (OpenAI, Anthropic, Gemini, translated)', async () => {
    const flows = [
      { name: 'openai', path: '/v1/chat/completions', model: 'slow/gpt-4.1' },
      { name: 'anthropic passthrough', path: '/v1/messages', model: 'anthropic/claude-sonnet-4-5' },
      { name: 'gemini translated', path: '/v1/chat/completions', model: 'gemini/gemini-2.5-flash' },
      { name: 'messages → openai', path: '/v1/messages', model: 'slow/gpt-4.1' },
    ];
    for (const [i, f] of flows.entries()) {
      const { id, key } = await bed.createKey({ name: `abort-${f.name}`, credits_usd: '1' });
      const body = { model: f.model, max_tokens: 1000, stream: true, messages: [{ role: 'user', content: 'go' }] };
      const got = await readThenAbort(bed, i, f.path, key, body, 40);
      expect(got).toBeGreaterThan(0);
      await waitFor(async () => (await bed.spendOf(id)).requests === 1, 30_000, `${f.name}: a ledger row`);
      const spend = await bed.spendOf(id);
      // Never less than what the client received (one token per byte is an upper bound of its tokens).
      expect(spend.output, f.name).toBeGreaterThanOrEqual(got);
      expect(spend.input, f.name).toBeGreaterThan(0);
      expect(spend.costUsd, f.name).toBeGreaterThan(0);
      await settled(bed, [id]);
      figures.push({ store: bed.kind, case: `abort ${f.name}`, calls: 1, served: 1, lostUsd: 0 });
    }
  }, 180_000);

  it('an endless upstream stream is cut and charged the most the call could cost', async () => {
    const { id, key } = await bed.createKey({ name: 'endless', credits_usd: '1' });
    const before = bed.upstream.endlessBytes();
    const body = {
      model: 'endless/gpt-4.1',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    };
    const got = await readThenAbort(bed, 0, '/v1/chat/completions', key, body, 50 * 1024 * 1024);
    // The gateway stopped it long before the client's 50 MB: a provider cannot send that much for 100 tokens.
    expect(got).toBeLessThan(1024 * 1024);
    await waitFor(async () => (await bed.spendOf(id)).requests === 1, 30_000, 'endless: a ledger row');
    const spend = await bed.spendOf(id);
    expect(spend.output).toBe(100); // all that a provider honouring max_tokens can bill
    expect(bed.upstream.endlessBytes() - before).toBeLessThan(16 * 1024 * 1024);
    expect(await bed.balanceUsd(id)).toBeGreaterThanOrEqual(0);
    await settled(bed, [id]);
    figures.push({ store: bed.kind, case: 'endless stream', calls: 1, served: 1, lostUsd: 0 });
  }, 120_000);

  it('absurd upstream usage (1e15 tokens) is refused as invalid_response; writers and ledger unharmed', async () => {
    const { id, key } = await bed.createKey({ name: 'absurd', credits_usd: '1' });
    const body = { model: 'absurd/gpt-4.1', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] };
    const r = await call(bed, 0, '/v1/chat/completions', key, body);
    expect(r.status).toBe(502);
    expect(r.json.error.type ?? r.json.error.code).toBeDefined();
    // Streamed: refused before the first byte (502) or, if already committed, ended with an error event.
    const s = await call(bed, 1, '/v1/chat/completions', key, { ...body, stream: true });
    expect([200, 502]).toContain(s.status);
    // The same replicas keep serving and settling.
    const ok = await call(bed, 2, '/v1/chat/completions', key, { ...body, model: 'bill/gpt-4.1' });
    expect(ok.status).toBe(200);
    for (const g of bed.gws) expect(g.alive()).toBe(true);
    await waitFor(async () => (await bed.spendOf(id)).requests >= 1, 30_000, 'absurd: ledger rows');
    const spend = await bed.spendOf(id);
    expect(spend.input).toBeLessThan(10_000_000);
    await settled(bed, [id]);
    figures.push({ store: bed.kind, case: 'absurd usage', calls: 3, served: 1, lostUsd: 0 });
  }, 120_000);
};

const redisCases = () => {
  let bed: HostileBed;
  beforeAll(async () => {
    bed = await startHostileBed('redis+postgres');
  }, 180_000);
  afterAll(async () => {
    await bed?.close();
  });

  it('redis restarted empty mid-load: admission fails closed, then holds every open reservation', async () => {
    const stream = {
      model: 'slow/gpt-4.1',
      max_tokens: 400,
      stream: true,
      messages: [{ role: 'user', content: 'go' }],
    };
    const bill = { model: 'bill/gpt-4.1', max_tokens: 400, messages: [{ role: 'user', content: 'go' }] };
    // The reservation of one call, as admission computes it (input bound + 400 output tokens at gpt-4.1 rates).
    const nanos = (b: unknown) => inputTokenBound(b) * 2_000 + 400 * 8_000;
    const credits = (5 * nanos(stream) + nanos(bill) / 2) / 1e9; // five streams fit, a sixth call does not
    const { id, key } = await bed.createKey({ name: 'restart', credits_usd: credits.toFixed(9) });
    const from = bed.upstream.billed.length;
    const streams = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const res = await fetch(`${bed.url(i)}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(stream),
          signal: AbortSignal.timeout(120_000),
        });
        return { status: res.status, done: res.text() };
      }),
    );
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    execFileSync('redis-cli', ['-p', String(bed.redis?.port), 'FLUSHALL']); // every reservation gone from redis
    const later: number[] = [];
    for (let i = 0; i < 12; i++) {
      later.push((await call(bed, i, '/v1/chat/completions', key, bill)).status);
      await sleep(500);
    }
    await Promise.all(streams.map((s) => s.done));
    // Refused while rebuilding (503), then refused for want of credits (402): never served on vanished money.
    for (const st of later) expect([402, 503]).toContain(st);
    expect(later).toContain(503);
    await settled(bed, [id]);
    const billed = billedSince(bed, from, 'slow').concat(billedSince(bed, from, 'bill'));
    expect(billed.length).toBe(5);
    const billedUsd = billed.reduce((s, b) => s + b.prompt * GPT_IN + b.completion * GPT_OUT, 0);
    const spend = await bed.spendOf(id);
    expect(spend.requests).toBe(5);
    expect(await bed.balanceUsd(id)).toBeGreaterThanOrEqual(0);
    record(bed, 'redis restarted empty', 17, 5, billedUsd, spend.costUsd);
  }, 180_000);
};

describe('hostile tenant on SQLite (one gateway process)', () => cases('sqlite'));

describe.skipIf(missing.length > 0)(
  `hostile tenant on 3 replicas over Redis + Postgres${missing.length ? ` (${missing.join('; ')})` : ''}`,
  () => {
    cases('redis+postgres');
    describe('redis specifics', redisCases);
  },
);

afterAll(() => {
  const lost = figures.reduce((s, f) => s + f.lostUsd, 0);
  console.log(
    `hostile-tenant figures: ${figures.length} cases, ${figures.reduce((s, f) => s + f.calls, 0)} calls, money lost $${lost}\n` +
      figures.map((f) => `  ${f.store.padEnd(15)} ${f.case.padEnd(28)} calls ${f.calls} served ${f.served}`).join('\n'),
  );
});
