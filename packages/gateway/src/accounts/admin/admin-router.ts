// Express shell over handleAdmin, mounted at /admin by the HTTP layer. Off when no token is configured.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AccountsService } from '../service.js';
import { type AdminResponse, adminError, handleAdmin } from './admin-api.js';

const sha = (s: string) => createHash('sha256').update(s).digest();

function send(res: Response, out: AdminResponse) {
  if (out.csv !== undefined) res.status(out.status).type('text/csv').send(out.csv);
  else if (out.html !== undefined) {
    // a statement page: no scripts may run, even if a team or end-user name slipped past escaping
    res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    res.status(out.status).type('text/html').send(out.html);
  } else res.status(out.status).json(out.json);
}

/** Bearer check: both sides hashed to equal length, compared in constant time. */
export function adminAuth(token: string) {
  const want = sha(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const h = req.headers.authorization ?? '';
    const got = h.startsWith('Bearer ') ? h.slice(7) : '';
    if (got === '' || !timingSafeEqual(sha(got), want)) {
      send(res, adminError(401, 'Invalid or missing admin token.', 'invalid_admin_token'));
      return;
    }
    next();
  };
}

export function createAdminRouter(service: AccountsService, token: string | undefined): express.Router | undefined {
  if (!token) return undefined;
  const r = express.Router();
  r.use(adminAuth(token));
  r.use(express.json({ limit: '64kb' }));
  r.use(async (req: Request, res: Response) => {
    send(res, await handleAdmin(service, { method: req.method, path: req.path, query: req.query, body: req.body }));
  });
  // Express 5 forwards rejected promises here; body-parser errors too. Never echo request content.
  r.use((err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.parse.failed')
      return send(res, adminError(400, 'Request body is not valid JSON.', 'invalid_json'));
    if (err.type === 'entity.too.large')
      return send(res, adminError(413, 'Request body is larger than the admin limit of 64 KB.', 'request_too_large'));
    if (err.status && err.status < 500)
      return send(res, adminError(err.status, 'Request body could not be read.', 'invalid_body'));
    send(res, adminError(err.status && err.status < 500 ? err.status : 500, 'Admin request failed.', 'internal_error'));
  });
  return r;
}
