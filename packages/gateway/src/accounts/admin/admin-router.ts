// The admin API under /admin (mounted by the HTTP shell). Off when no token is configured. OpenAI-format errors.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { z } from 'zod';
import { formatUsd } from '../money.js';
import type { AccountsService } from '../service.js';
import { createKeySchema, creditsSchema, patchKeySchema, spendSchema } from './admin-schemas.js';
import { keyDetailView, keyView, spendCsv, spendView } from './admin-views.js';

const sha = (s: string) => createHash('sha256').update(s).digest();

function sendError(res: Response, status: number, message: string, code: string | null, param: string | null = null) {
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  res.status(status).json({ error: { message, type, param, code } });
}

function parse<S extends z.ZodType>(schema: S, input: unknown, res: Response): z.output<S> | undefined {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = issue?.path.join('.') || null;
  sendError(
    res,
    400,
    `Invalid request: ${param ? `${param}: ` : ''}${issue?.message ?? 'invalid'}`,
    'invalid_value',
    param,
  );
  return undefined;
}

/** Bearer check: both sides hashed to equal length, compared in constant time. */
export function adminAuth(token: string) {
  const want = sha(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const h = req.headers.authorization ?? '';
    const got = h.startsWith('Bearer ') ? h.slice(7) : '';
    if (got === '' || !timingSafeEqual(sha(got), want)) {
      sendError(res, 401, 'Invalid or missing admin token.', 'invalid_admin_token');
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

  r.post('/v1/keys', async (req, res) => {
    const input = parse(createKeySchema, req.body, res);
    if (!input) return;
    const { key, secret } = await service.createKey(input);
    const detail = await service.getKey(key.id);
    res.status(201).json({ ...(detail ? keyDetailView(detail.key, detail.usage) : keyView(key)), key: secret });
  });

  r.get('/v1/keys', async (_req, res) => {
    res.json({ object: 'list', data: (await service.listKeys()).map((k) => keyView(k)) });
  });

  r.get('/v1/keys/:id', async (req, res) => {
    const d = await service.getKey(req.params.id);
    if (!d) return sendError(res, 404, 'No key with that id.', 'key_not_found', 'id');
    res.json(keyDetailView(d.key, d.usage));
  });

  r.patch('/v1/keys/:id', async (req, res) => {
    const patch = parse(patchKeySchema, req.body, res);
    if (!patch) return;
    const k = await service.updateKey(req.params.id, patch);
    if (!k) return sendError(res, 404, 'No key with that id.', 'key_not_found', 'id');
    res.json(keyView(k));
  });

  r.delete('/v1/keys/:id', async (req, res) => {
    const k = await service.revokeKey(req.params.id);
    if (!k) return sendError(res, 404, 'No key with that id.', 'key_not_found', 'id');
    res.json(keyView(k));
  });

  r.post('/v1/keys/:id/credits', async (req, res) => {
    const body = parse(creditsSchema, req.body, res);
    if (!body) return;
    const out = await service.addCredits(req.params.id, body.amount_usd, body.reason, body.idempotency_key);
    if (!out) return sendError(res, 404, 'No key with that id.', 'key_not_found', 'id');
    res.status(out.applied ? 201 : 200).json({
      object: 'credit',
      key_id: req.params.id,
      applied: out.applied,
      amount_usd: formatUsd(body.amount_usd),
      idempotency_key: body.idempotency_key,
      balance_usd: out.usage.balanceNanos === null ? null : formatUsd(out.usage.balanceNanos),
    });
  });

  r.get('/v1/spend', async (req, res) => {
    const q = parse(spendSchema, req.query, res);
    if (!q) return;
    const rows = await service.spend({
      groupBy: q.group_by,
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
    });
    if (q.format === 'csv') res.type('text/csv').send(spendCsv(q.group_by, rows));
    else res.json(spendView(q.group_by, rows));
  });

  r.use((_req: Request, res: Response) => sendError(res, 404, 'Unknown admin endpoint.', 'not_found'));
  // Express 5 forwards rejected promises here; body-parser errors too. Never echo request content.
  r.use((err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.parse.failed')
      return sendError(res, 400, 'Request body is not valid JSON.', 'invalid_json');
    sendError(res, err.status && err.status < 500 ? err.status : 500, 'Admin request failed.', 'internal_error');
  });
  return r;
}
