import { asObject } from '../usage/read-fields.js';
import type { ProviderErrorTable } from './provider-error-table.js';
import { parseDurationMs } from './retry-after.js';

const QUOTA_FAILURE = 'type.googleapis.com/google.rpc.QuotaFailure';
const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

/** A daily/billing quota, as opposed to a per-minute rate limit that clears by itself. */
function isHardQuota(details: unknown[]): boolean {
  return details.some((d) => {
    const o = asObject(d);
    if (o?.['@type'] !== QUOTA_FAILURE || !Array.isArray(o.violations)) return false;
    return o.violations.some((v) => /PerDay|billing/i.test(String(asObject(v)?.quotaId ?? '')));
  });
}

/** Gemini (Google RPC) `{ error: { code, message, status, details: [...] } }`. */
export const GEMINI_ERRORS: ProviderErrorTable = {
  read(body) {
    let outer = asObject(body);
    if (Array.isArray(body)) outer = asObject(body[0]); // streamed errors may come as a one-element array
    const e = asObject(outer?.error) ?? outer;
    const details = Array.isArray(e?.details) ? e.details : [];
    const codes: string[] = [];
    let retryAfterMs: number | undefined;
    for (const d of details) {
      const o = asObject(d);
      if (o?.['@type'] === ERROR_INFO && typeof o.reason === 'string') codes.push(o.reason);
      if (o?.['@type'] === RETRY_INFO) retryAfterMs = parseDurationMs(o.retryDelay);
    }
    if (isHardQuota(details)) codes.push('QUOTA_EXHAUSTED');
    if (typeof e?.status === 'string') codes.push(e.status);
    return {
      codes,
      ...(typeof e?.message === 'string' && { message: e.message }),
      ...(typeof e?.code === 'number' && { status: e.code }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  },
  codes: {
    API_KEY_INVALID: 'auth',
    API_KEY_EXPIRED: 'auth',
    QUOTA_EXHAUSTED: 'quota_exhausted',
    UNAUTHENTICATED: 'auth',
    PERMISSION_DENIED: 'permission',
    NOT_FOUND: 'not_found',
    RESOURCE_EXHAUSTED: 'rate_limited',
    UNAVAILABLE: 'overloaded',
    DEADLINE_EXCEEDED: 'timeout',
    INTERNAL: 'upstream_5xx',
    CANCELLED: 'cancelled',
  },
  messages: [
    [/exceeds the maximum number of tokens|input token count.*exceeds|context window/i, 'context_length'],
    [/api key not valid/i, 'auth'],
  ],
};
