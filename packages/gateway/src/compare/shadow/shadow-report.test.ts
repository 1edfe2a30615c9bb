// Recorded pairs → GET /admin/v1/shadow → `compare --from-shadow`'s report, and the shadow account's day.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFromShadow, shadowReport } from './from-shadow.js';
import { createShadowAdminRouter } from './shadow-admin-router.js';
import { ShadowBudget } from './shadow-budget.js';
import { ShadowLog } from './shadow-log.js';
import { createShadowMirror, type ShadowMirror } from './shadow-mirror.js';

const TOKEN = 'admin-test-token';
let server: Server;
let url: string;
let mirror: ShadowMirror;
const T0 = Date.parse('2026-03-01T12:00:00Z');

beforeAll(async () => {
  mirror = createShadowMirror({ log: new ShadowLog(5) });
  for (let i = 0; i < 7; i++) {
    mirror.log.add({
      at: T0 + i * 60_000,
      route: i % 2 === 0 ? 'main' : 'other',
      requestId: `r${i}`,
      streamed: i === 0,
      primary: {
        target: 'openai/gpt-4o-mini',
        ok: true,
        latencyMs: 100 + i,
        inputTokens: 10,
        outputTokens: 5,
        costNanos: 1_000n,
      },
      shadow: {
        target: 'gemini/gemini-2.5-flash',
        ok: i !== 4,
        latencyMs: 50 + i,
        inputTokens: 10,
        outputTokens: 6,
        costNanos: 300n,
      },
      similarity: { kind: 'text', score: 0.5 },
    });
  }
  const app = express().use('/admin', createShadowAdminRouter(mirror, TOKEN) as express.Router);
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('shadow log and admin endpoint', () => {
  it('keeps only the newest pairs (bounded ring) and filters by route and time', () => {
    expect(mirror.log.list().map((p) => p.requestId)).toEqual(['r2', 'r3', 'r4', 'r5', 'r6']);
    expect(mirror.log.list({ route: 'main', sinceMs: T0 + 3 * 60_000 }).map((p) => p.requestId)).toEqual(['r4', 'r6']);
  });

  it('requires the admin token and validates its query', async () => {
    expect((await fetch(`${url}/admin/v1/shadow`)).status).toBe(401);
    const bad = await fetch(`${url}/admin/v1/shadow?since=yesterday`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bad.status).toBe(400);
  });

  it('turns the recorded pairs of a route into the compare report (money exact, similarity per candidate)', async () => {
    const report = await reportFromShadow({
      gateway: url,
      route: 'main',
      sinceMs: 10 * 60_000,
      adminToken: TOKEN,
      now: () => T0 + 7 * 60_000,
    });
    expect(report.kind).toBe('shadow');
    expect(report.prompts.map((p) => p.id)).toEqual(['r2', 'r4', 'r6']);
    const [primary, candidate] = report.models;
    expect(primary).toMatchObject({ model: 'openai/gpt-4o-mini', calls: 3, errors: 0, costNanos: '3000' });
    expect(candidate).toMatchObject({ model: 'gemini/gemini-2.5-flash', calls: 3, errors: 1, costNanos: '900' });
    expect(candidate?.similarity).toEqual({ mean: 0.5, pairs: 3 });
    expect(report.totals.costNanos).toBe('3900');
  });

  it('builds an empty report when nothing was recorded', () => {
    const r = shadowReport('main', [], new Date(T0).toISOString(), new Date(T0).toISOString());
    expect(r.models).toEqual([]);
    expect(r.totals.calls).toBe(0);
  });
});

describe('shadow budget (integer nano-USD per route per UTC day)', () => {
  it('refuses a reservation that would pass the cap and resets at midnight UTC', () => {
    let now = Date.parse('2026-03-01T23:59:00Z');
    const b = new ShadowBudget(() => now);
    expect(b.reserve('main', 600n, 1_000n)).toBe(true);
    expect(b.reserve('main', 600n, 1_000n)).toBe(false); // 600 reserved + 600 > 1000
    b.settle('main', 600n, 450n);
    expect(b.reserve('main', 550n, 1_000n)).toBe(true); // 450 spent + 550 = cap exactly
    expect(b.reserve('main', 1n, 1_000n)).toBe(false);
    b.settle('main', 550n, undefined); // failed call: nothing billed
    expect(b.view()[0]).toMatchObject({ spentNanos: 450n, reservedNanos: 0n, day: '2026-03-01' });
    now = Date.parse('2026-03-02T00:00:01Z');
    expect(b.reserve('main', 1_000n, 1_000n)).toBe(true);
    expect(b.view()[0]).toMatchObject({ spentNanos: 0n, reservedNanos: 1_000n, day: '2026-03-02' });
  });
});
