// GET /admin/v1/config: the running config (as last loaded or hot-reloaded, env interpolated) with every secret
// replaced by "[redacted]" — for operators and the admin console. Behind the same admin token as the rest of /admin.
import express, { type Router } from 'express';
import { adminAuth } from '../accounts/index.js';
import type { GatewayConfig } from '../config/config-schema.js';
import { redactSecrets } from '../config/secret-fields.js';

export function createConfigAdminRouter(config: () => GatewayConfig, token: string | undefined): Router | undefined {
  if (!token) return undefined;
  const r = express.Router();
  r.get('/v1/config', adminAuth(token), (_req, res) => {
    res.json({ object: 'config', config: redactSecrets(config()) });
  });
  return r;
}
