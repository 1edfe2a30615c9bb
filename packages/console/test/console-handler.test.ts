// The /ui server side without a browser: sign-in, cookie flags, rate limit, CSRF and Origin checks, the admin
// proxy (token swapped in, never sent to the page), sign-out, expiry and the bounded session map.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKIE, CSRF_HEADER, createConsoleHandler } from '../src/index.js';
import { SessionStore } from '../src/server/sessions.js';

const TOKEN = 'adm-console-test-0123456789';
let clock = Date.now();
const seen: { method: string; url: string; auth: string; body: string }[] = [];
let admin: Server;
let ui: Server;
let base = '';

const listen = (s: Server) =>
  new Promise<string>((r) =>
    s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );
const body = async (req: IncomingMessage) => {
  let s = '';
  for await (const c of req) s += c;
  return s;
};

beforeAll(async () => {
  admin = createServer(async (req, res) => {
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      auth: req.headers.authorization ?? '',
      body: await body(req),
    });
    res.writeHead(req.url?.includes('missing') ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true }));
  });
  const adminUrl = `${await listen(admin)}/admin`;
  const assets = Promise.resolve(
    new Map([
      ['/', { body: Buffer.from('<html>console</html>'), type: 'text/html; charset=utf-8' }],
      ['/assets/app.js', { body: Buffer.from('1'), type: 'text/javascript' }],
      ['/assets/app.css', { body: Buffer.from(''), type: 'text/css' }],
    ]),
  );
  const handler = createConsoleHandler({ adminToken: TOKEN, adminUrl, assets, now: () => clock, sessionTtlMs: 60_000 });
  ui = createServer(handler);
  base = await listen(ui);
});
afterAll(async () => {
  await new Promise((r) => ui.close(r));
  await new Promise((r) => admin.close(r));
});

const send = (
  method: string,
  path: string,
  o: { body?: unknown; cookie?: string; csrf?: string; origin?: string | null } = {},
) =>
  fetch(`${base}${path}`, {
    method,
    headers: {
      ...(o.body !== undefined && { 'content-type': 'application/json' }),
      ...(o.origin !== null && method !== 'GET' && { origin: o.origin ?? base }),
      ...(o.cookie && { cookie: o.cookie }),
      ...(o.csrf && { [CSRF_HEADER]: o.csrf }),
    },
    ...(o.body !== undefined && { body: JSON.stringify(o.body) }),
    signal: AbortSignal.timeout(5000),
  });

async function signIn() {
  const res = await send('POST', '/ui/login', { body: { token: TOKEN } });
  expect(res.status).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const { csrf } = (await res.json()) as { csrf: string };
  return { cookie: setCookie.split(';')[0] ?? '', setCookie, csrf };
}

describe('console handler', () => {
  it('serves the page with a strict CSP, and no data without a session', async () => {
    const page = await send('GET', '/ui/');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<html>console</html>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const api = await send('GET', '/ui/api/v1/keys');
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_signed_in');
    expect(seen).toHaveLength(0);
  });

  it('signs in with the admin token: HttpOnly, SameSite=Strict, Path=/ui cookie with an expiry; token never echoed', async () => {
    const { setCookie, csrf } = await signIn();
    expect(setCookie).toMatch(new RegExp(`^${COOKIE}=[A-Za-z0-9_-]{43}; `));
    for (const flag of ['HttpOnly', 'SameSite=Strict', 'Path=/ui', 'Max-Age=60']) expect(setCookie).toContain(flag);
    expect(setCookie).not.toContain('Secure'); // plain http here; https sets Secure
    expect(setCookie).not.toContain(TOKEN);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const https = await fetch(`${base}/ui/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: base.replace('http:', 'https:'),
        'x-forwarded-proto': 'https',
      },
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(https.headers.get('set-cookie')).toContain('; Secure');
  });

  it('proxies the admin API with the token; state changes need the CSRF header and our Origin', async () => {
    const { cookie, csrf } = await signIn();
    seen.length = 0;
    const get = await send('GET', '/ui/api/v1/ledger?key_id=k1&limit=5', { cookie });
    expect(get.status).toBe(200);
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: '/admin/v1/ledger?key_id=k1&limit=5',
      auth: `Bearer ${TOKEN}`,
    });
    expect((await send('GET', '/ui/api/v1/missing', { cookie })).status).toBe(404); // upstream status passes through

    const noCsrf = await send('POST', '/ui/api/v1/keys', { cookie, body: { name: 'x' } });
    expect(noCsrf.status).toBe(403);
    const wrongCsrf = await send('POST', '/ui/api/v1/keys', { cookie, csrf: `${csrf.slice(1)}x`, body: { name: 'x' } });
    expect(wrongCsrf.status).toBe(403);
    const crossSite = await send('POST', '/ui/api/v1/keys', { cookie, csrf, origin: 'https://evil.example', body: {} });
    expect(crossSite.status).toBe(403);
    const noOrigin = await send('DELETE', '/ui/api/v1/keys/k1', { cookie, csrf, origin: null });
    expect(noOrigin.status).toBe(403);
    const form = await fetch(`${base}/ui/api/v1/keys`, {
      method: 'POST',
      headers: { cookie, [CSRF_HEADER]: csrf, origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    expect(form.status).toBe(415);
    expect(seen.filter((s) => s.method !== 'GET')).toHaveLength(0);

    const ok = await send('POST', '/ui/api/v1/keys', { cookie, csrf, body: { name: 'x' } });
    expect(ok.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/admin/v1/keys',
      body: '{"name":"x"}',
      auth: `Bearer ${TOKEN}`,
    });
    expect((await send('GET', '/ui/api/v2/keys', { cookie })).status).toBe(404);
  });

  it('signs out, and sessions expire', async () => {
    const a = await signIn();
    expect((await send('GET', '/ui/session', { cookie: a.cookie })).status).toBe(200);
    expect((await send('POST', '/ui/logout', { cookie: a.cookie })).status).toBe(403); // needs the CSRF header too
    const out = await send('POST', '/ui/logout', { cookie: a.cookie, csrf: a.csrf, body: {} });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await send('GET', '/ui/session', { cookie: a.cookie })).status).toBe(401);
    const b = await signIn();
    clock += 61_000;
    expect((await send('GET', '/ui/api/v1/keys', { cookie: b.cookie })).status).toBe(401);
  });

  it('refuses a wrong token with a readable message, then rate-limits the address', async () => {
    const codes: number[] = [];
    let message = '';
    for (let i = 0; i < 7; i++) {
      const r = await send('POST', '/ui/login', { body: { token: `wrong-${i}` } });
      codes.push(r.status);
      message = ((await r.json()) as { error: { message: string } }).error.message;
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(message).toMatch(/Too many failed sign-ins\. Try again in \d+ s\./);
    expect((await send('POST', '/ui/login', { body: { token: TOKEN } })).status).toBe(429); // even the right one, for now
    clock += 61_000;
    expect((await send('POST', '/ui/login', { body: { token: TOKEN } })).status).toBe(200);
    const garbled = await fetch(`${base}/ui/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: '{"token": ',
    });
    expect(garbled.status).toBe(400);
  });
});

describe('SessionStore', () => {
  it('is bounded: the oldest session goes first', () => {
    const s = new SessionStore({ max: 3 });
    const ids = Array.from({ length: 5 }, () => s.create().id);
    expect(s.size).toBe(3);
    expect(s.get(ids[0])).toBeUndefined();
    expect(s.get(ids[4])?.id).toBe(ids[4]);
  });
});
