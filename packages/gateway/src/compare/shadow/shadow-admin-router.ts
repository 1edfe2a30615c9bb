// GET /admin/v1/shadow[?route=R&since=ISO|epoch-ms&limit=N]: the shadow account's day (spend, reservations, cap),
// drops by reason, and recorded pairs (oldest first) — what `switchyard compare --from-shadow` reads.

import { nanosToUsdString } from '@switchyard/core';
import express, { type Router } from 'express';
import { adminAuth } from '../../accounts/index.js';
import { pairView } from './shadow-log.js';
import type { ShadowMirror } from './shadow-mirror.js';

const MAX_LIMIT = 10_000;

function parseSince(v: unknown): number | undefined | null {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return null;
  if (/^\d+$/.test(v)) return Number(v);
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

export function shadowView(mirror: ShadowMirror, q: { route?: string; sinceMs?: number; limit?: number }) {
  return {
    object: 'shadow',
    in_flight: mirror.inFlight(),
    budgets: mirror.budget.view().map((b) => ({
      route: b.route,
      day: b.day,
      spent_nanos: b.spentNanos.toString(),
      spent_usd: nanosToUsdString(b.spentNanos),
      reserved_nanos: b.reservedNanos.toString(),
      cap_usd: nanosToUsdString(b.capNanos),
    })),
    // Keys are `${route} ${reason}`; a route alias may contain spaces, a reason never does.
    dropped: [...mirror.drops].map(([k, count]) => ({
      route: k.slice(0, k.lastIndexOf(' ')),
      reason: k.slice(k.lastIndexOf(' ') + 1),
      count,
    })),
    data: mirror.log.list(q).map(pairView),
  };
}

/** Undefined (admin API off) without a token, like the other admin routers. */
export function createShadowAdminRouter(mirror: ShadowMirror, token: string | undefined): Router | undefined {
  if (!token) return undefined;
  const r = express.Router();
  r.get('/v1/shadow', adminAuth(token), (req, res) => {
    const since = parseSince(req.query.since);
    const limitRaw = req.query.limit;
    const limit =
      typeof limitRaw === 'string' && /^\d+$/.test(limitRaw) ? Math.min(Number(limitRaw), MAX_LIMIT) : undefined;
    if (since === null || (limitRaw !== undefined && limit === undefined)) {
      res.status(400).json({
        error: {
          message: 'since must be an ISO time or epoch ms; limit an integer',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_query',
        },
      });
      return;
    }
    const route = typeof req.query.route === 'string' ? req.query.route : undefined;
    res.json(
      shadowView(mirror, {
        ...(route !== undefined && { route }),
        ...(since !== undefined && { sinceMs: since }),
        ...(limit !== undefined && { limit }),
      }),
    );
  });
  return r;
}
