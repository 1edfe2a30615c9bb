// Secrets never leak: provider keys, virtual keys and the admin token are greped for in every sink of a spawned
// gateway after mixed traffic (successes, streams, wrong keys, revoked keys, upstream auth failures, admin calls):
// its stdout/stderr at debug level, /metrics, every error body, the OTLP spans it exported, the SQLite ledger
// files, and what the upstreams received.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, secret, sleep, startTestbed, type Testbed } from '../support/gateway.js';
import { type Listener, startListener } from './listeners.js';

let bed: Testbed;
let otlp: Listener;
const wrongProviderKey = secret('sk-wrongprov-');
const keys: Record<string, string> = {};
const errorBodies: string[] = [];
let metrics = '';

beforeAll(async () => {
  otlp = await startListener();
  bed = await startTestbed({
    env: { LOG_LEVEL: 'debug', OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
    providers: (sims) => ({ wrong: { kind: 'openai', apiKey: wrongProviderKey, baseURL: `${sims.openai.url}/v1` } }),
  });
}, 120_000);
afterAll(async () => {
  await bed?.close();
  await otlp?.close();
});

async function call(path: string, body: unknown, headers: Record<string, string>) {
  const r = await post(`${bed.gw.url}${path}`, body, headers);
  if (r.status >= 400) errorBodies.push(r.text);
  return r;
}

describe('secrets in every sink', () => {
  it('mixed traffic with good, wrong, revoked keys and failing upstream credentials', async () => {
    const a = await bed.createKey({ name: 'alpha', credits_usd: '10', models: ['openai/*', 'gemini/*'] });
    const b = await bed.createKey({ name: 'beta' });
    const c = await bed.createKey({ name: 'revoked' });
    Object.assign(keys, { alpha: a.key, beta: b.key, revoked: c.key });
    expect((await bed.admin('DELETE', `/v1/keys/${c.id}`)).status).toBe(200);
    await sleep(1_100); // past the key cache

    const chat = (model: string, stream = false) => ({
      model,
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
      ...(stream && { stream: true }),
    });
    const bearer = (k: string) => ({ authorization: `Bearer ${k}` });
    for (const stream of [false, true]) {
      expect((await call('/v1/chat/completions', chat('openai/gpt-4o-mini', stream), bearer(a.key))).status).toBe(200);
      expect((await call('/v1/chat/completions', chat('gemini/gemini-2.5-flash', stream), bearer(a.key))).status).toBe(
        200,
      );
      expect(
        (await call('/v1/messages', chat('anthropic/claude-sonnet-4-5', stream), { 'x-api-key': b.key })).status,
      ).toBe(200);
      // The upstream rejects the operator's (wrong) provider key: the client sees an error, never that key.
      expect((await call('/v1/chat/completions', chat('wrong/gpt-4o-mini', stream), bearer(b.key))).status).toBe(401);
    }
    await call('/v1/embeddings', { model: 'openai/text-embedding-3-small', input: 'x' }, bearer(a.key));
    const wrong = [`${a.key}x`, a.key.slice(0, -1), c.key, bed.providerKey, bed.adminToken, `${b.key} ${a.key}`];
    for (const k of wrong) {
      expect((await call('/v1/chat/completions', chat('openai/gpt-4o-mini'), bearer(k))).status).toBe(401);
      expect((await call('/v1/messages', chat('anthropic/claude-sonnet-4-5'), { 'x-api-key': k })).status).toBe(401);
    }
    expect((await call('/v1/chat/completions', chat('anthropic/claude-sonnet-4-5'), bearer(a.key))).status).toBe(403);
    for (const t of [`${bed.adminToken}x`, a.key, bed.providerKey]) {
      const r = await bed.admin('GET', '/v1/keys', undefined, t);
      expect(r.status).toBe(401);
      errorBodies.push(JSON.stringify(r.json));
    }
    // Admin views never show a key (the one-time create response aside).
    errorBodies.push(JSON.stringify((await bed.admin('GET', '/v1/keys')).json));
    errorBodies.push(JSON.stringify((await bed.admin('GET', `/v1/keys/${a.id}`)).json));
    metrics = await bed.metrics();
    await sleep(500); // let the batch span processor export
    expect(await bed.gw.stop('SIGTERM')).toBe(0); // flushes spans and the ledger
  }, 120_000);

  it('no secret appears in logs, /metrics, error bodies, spans, the ledger files or upstream requests', () => {
    const secrets = {
      providerKey: bed.providerKey,
      wrongProviderKey,
      adminToken: bed.adminToken,
      ...keys,
    };
    const db = readdirSync(bed.dir)
      .filter((f) => f.startsWith('accounts.db'))
      .map((f) => readFileSync(join(bed.dir, f)).toString('latin1'))
      .join('\n');
    const upstream = JSON.stringify(
      [bed.sims.openai, bed.sims.anthropic, bed.sims.gemini].flatMap((s) => s.requests.map((r) => [r.headers, r.body])),
    );
    const sinks = {
      stdout: bed.gw.stdout(),
      stderr: bed.gw.stderr(),
      metrics,
      errorBodies: errorBodies.join('\n'),
      spans: otlp.bytes().toString('latin1'),
      ledger: db,
      upstream,
    };
    expect(sinks.stdout).toContain('listening on'); // the logs really were captured (debug level)
    expect(otlp.bytes().length, 'spans were exported').toBeGreaterThan(1_000);
    expect(db).toContain('ledger');
    expect(errorBodies.length).toBeGreaterThan(15);
    const leaks: string[] = [];
    for (const [sink, text] of Object.entries(sinks)) {
      for (const [name, value] of Object.entries(secrets)) {
        // The full secret and any 16-character slice of it (a hint shows 4).
        for (let i = 0; i + 16 <= value.length; i += 8) {
          if (text.includes(value.slice(i, i + 16))) {
            leaks.push(`${name} in ${sink}`);
            break;
          }
        }
      }
    }
    console.log(
      `[secrets] ${Object.keys(secrets).length} secrets × ${Object.keys(sinks).length} sinks ` +
        `(${Object.values(sinks).reduce((n, t) => n + t.length, 0)} bytes): ${leaks.length} leaks`,
    );
    expect(leaks).toEqual([]);
  });
});
