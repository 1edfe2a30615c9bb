// CORS for browser apps calling the gateway with a virtual key. Off unless `server.cors.origins` lists origins
// (or "*"). Only the client API (/v1/…) is covered; /admin never answers cross-origin. Preflights are answered
// here; responses expose the x-switchyard-* headers so a browser app can read provider, cost and warnings.
import type { RequestHandler } from 'express';

export interface CorsConfig {
  origins: string[];
  maxAgeSeconds?: number;
}

const EXPOSED = [
  'x-request-id',
  'x-switchyard-provider',
  'x-switchyard-model',
  'x-switchyard-attempts',
  'x-switchyard-cost-usd',
  'x-switchyard-warnings',
  'x-switchyard-estimated',
  'retry-after',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
].join(', ');

const ALLOWED_HEADERS =
  'authorization, content-type, x-api-key, x-request-id, anthropic-version, anthropic-beta, ' +
  'anthropic-dangerous-direct-browser-access, openai-beta, openai-organization, openai-project';

/** `config()` is read per request so a hot reload that changes the origins applies at once. */
export function corsMiddleware(config: () => CorsConfig | undefined): RequestHandler {
  return (req, res, next) => {
    const cors = config();
    const origin = req.headers.origin;
    if (!cors || typeof origin !== 'string' || !req.path.startsWith('/v1/')) return next();
    const allowed = cors.origins.includes('*') || cors.origins.includes(origin);
    res.vary('Origin');
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!allowed) {
      if (!preflight) return next(); // no CORS headers: the browser blocks the read
      res.status(403).json({ error: { message: `Origin ${origin} is not allowed`, type: 'permission_error' } });
      return;
    }
    res.setHeader('access-control-allow-origin', origin);
    if (!preflight) {
      res.setHeader('access-control-expose-headers', EXPOSED);
      return next();
    }
    const asked = req.headers['access-control-request-headers'];
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    // Any x-stainless-* the SDKs add is fine too: echo what the browser asks for, else the usual set.
    res.setHeader('access-control-allow-headers', typeof asked === 'string' && asked ? asked : ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', String(cors.maxAgeSeconds ?? 600));
    res.status(204).end();
  };
}
