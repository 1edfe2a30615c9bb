// The console at /ui, framework-neutral (a node:http handler; the gateway mounts it with Express):
//   GET  /ui/                 the page (static, built assets)        POST /ui/login   admin token → session cookie
//   GET  /ui/session          the session's CSRF token, or 401        POST /ui/logout  ends the session
//   ANY  /ui/api/v1/...       proxied to /admin/v1/... with the admin token (state changes need the CSRF header)
// CSRF: the cookie is SameSite=Strict; every POST/PATCH/DELETE must carry an Origin equal to our own and (but
// login) `x-switchyard-csrf` equal to the session's token, which a cross-site page can neither read nor guess.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AdminBase, forwardToAdmin, sameServerAdmin } from './admin-proxy.js';
import { ASSET_FILES, type Asset, loadAssets } from './assets.js';
import {
  BodyTooLarge,
  cookieValue,
  isHttps,
  ownOrigin,
  readBody,
  sendError,
  sendJson,
  sessionCookie,
} from './http-util.js';
import { LoginLimiter } from './login-limiter.js';
import { type Session, SessionStore, sameSecret } from './sessions.js';

export const COOKIE = 'sy_console';
export const CSRF_HEADER = 'x-switchyard-csrf';

export interface ConsoleOptions {
  /** The admin token the operator types in, and the one the proxy sends to the admin API. */
  adminToken: string;
  /** Where the admin API is (default: the server that received the request, at /admin). */
  adminUrl?: AdminBase;
  /** Where the console is mounted (cookie path). Default `/ui`. */
  basePath?: string;
  sessionTtlMs?: number;
  maxSessions?: number;
  /** Overrides the built assets (tests). */
  assets?: Promise<Map<string, Asset>>;
  now?: () => number;
}

export type ConsoleHandler = ((req: IncomingMessage, res: ServerResponse) => void) & { sessions: SessionStore };

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const sha = (s: string) => createHash('sha256').update(s).digest();

export function createConsoleHandler(o: ConsoleOptions): ConsoleHandler {
  const base = o.basePath ?? '/ui';
  const sessions = new SessionStore({
    ...(o.sessionTtlMs !== undefined && { ttlMs: o.sessionTtlMs }),
    ...(o.maxSessions !== undefined && { max: o.maxSessions }),
    ...(o.now && { now: o.now }),
  });
  const limiter = new LoginLimiter(o.now ? { now: o.now } : {});
  const assets = o.assets ?? loadAssets();
  assets.catch(() => {}); // reported per request below
  const want = sha(o.adminToken);
  const adminUrl = o.adminUrl ?? sameServerAdmin;

  const sessionOf = (req: IncomingMessage): Session | undefined => sessions.get(cookieValue(req, COOKIE));
  const clearCookie = (req: IncomingMessage) =>
    sessionCookie(COOKIE, '', { path: base, maxAgeSec: 0, secure: isHttps(req) });

  async function login(req: IncomingMessage, res: ServerResponse) {
    const addr = req.socket.remoteAddress ?? 'unknown';
    const wait = limiter.retryAfterMs(addr);
    if (wait > 0) {
      const sec = Math.ceil(wait / 1000);
      return sendError(res, 429, 'too_many_attempts', `Too many failed sign-ins. Try again in ${sec} s.`, {
        'retry-after': String(sec),
      });
    }
    let token = '';
    try {
      const parsed = JSON.parse((await readBody(req, 4096)).toString('utf8')) as { token?: unknown };
      token = typeof parsed.token === 'string' ? parsed.token : '';
    } catch {
      return sendError(res, 400, 'invalid_body', 'Send {"token": "<admin token>"} as JSON.');
    }
    if (token === '' || !timingSafeEqual(sha(token), want)) {
      limiter.failed(addr);
      return sendError(res, 401, 'invalid_admin_token', 'That admin token is not valid.');
    }
    limiter.succeeded(addr);
    const old = sessionOf(req);
    if (old) sessions.delete(old.id);
    const s = sessions.create();
    const cookie = sessionCookie(COOKIE, s.id, {
      path: base,
      maxAgeSec: Math.floor(sessions.ttlMs / 1000),
      secure: isHttps(req),
    });
    sendJson(res, 200, { csrf: s.csrf, expires_at: new Date(s.expiresAt).toISOString() }, { 'set-cookie': cookie });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://console');
    let path = url.pathname;
    if (path === base || path.startsWith(`${base}/`)) path = path.slice(base.length) || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const changes = method !== 'GET' && method !== 'HEAD';

    if (changes) {
      // Browsers send Origin on every cross-origin and same-origin POST/PATCH/DELETE: it must be ours.
      if (req.headers.origin !== ownOrigin(req)) {
        return sendError(res, 403, 'bad_origin', 'Cross-origin request refused.');
      }
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json') && path !== '/logout') {
        return sendError(res, 415, 'unsupported_media_type', 'Send JSON (content-type: application/json).');
      }
    }
    if (path === '/login' && method === 'POST') return login(req, res);

    if (method === 'GET' && (Object.hasOwn(ASSET_FILES, path) || path === '/index.html')) {
      const a = (await assets.catch(() => undefined))?.get(path === '/index.html' ? '/' : path);
      if (!a) return sendError(res, 500, 'console_not_built', 'The console assets are missing; run its build.');
      res.writeHead(200, { 'content-type': a.type, 'cache-control': 'no-cache', ...SECURITY_HEADERS });
      res.end(a.body);
      return;
    }

    const session = sessionOf(req);
    if (!session) return sendError(res, 401, 'not_signed_in', 'Sign in with the admin token.');
    if (changes && !sameSecret(String(req.headers[CSRF_HEADER] ?? ''), session.csrf)) {
      return sendError(res, 403, 'csrf_token_invalid', `Missing or wrong ${CSRF_HEADER} header.`);
    }
    if (path === '/session' && method === 'GET') {
      return sendJson(res, 200, { csrf: session.csrf, expires_at: new Date(session.expiresAt).toISOString() });
    }
    if (path === '/logout' && method === 'POST') {
      sessions.delete(session.id);
      return sendJson(res, 200, { signed_out: true }, { 'set-cookie': clearCookie(req) });
    }
    if (path.startsWith('/api/v1/')) {
      const body = changes ? await readBody(req) : undefined;
      return forwardToAdmin(req, res, {
        base: adminUrl,
        token: o.adminToken,
        path: `${path.slice('/api'.length)}${url.search}`,
        body,
      });
    }
    sendError(res, 404, 'not_found', `No console route for ${method} ${path}.`);
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof BodyTooLarge) return sendError(res, 413, 'request_too_large', 'Request body is too large.');
      sendError(res, 500, 'console_error', 'The console request failed.');
    });
  };
  return Object.assign(handler, { sessions });
}
