// Anthropic error bodies ({ type: "error", error: { type, message }, request_id }) and auth rules.
import type { IncomingHttpHeaders } from 'node:http';
import { bearer, jsonReply, namedEvent, type RequestContext, type StatusFault } from '../provider.js';
import type { JsonReply } from '../types.js';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function requestIdOf(ctx: RequestContext): string {
  return `req_011C${ctx.requestId.slice(0, 20)}`;
}

export function anthropicError(
  status: number,
  message: string,
  ctx: RequestContext,
  headers: Record<string, string> = {},
  type?: string,
): JsonReply {
  const requestId = requestIdOf(ctx);
  const errorType = type ?? TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return jsonReply(
    status,
    { type: 'error', error: { type: errorType, message }, request_id: requestId },
    { 'request-id': requestId, ...headers },
  );
}

export function anthropicAuth(
  headers: IncomingHttpHeaders,
  apiKey: string | undefined,
  ctx: RequestContext,
): JsonReply | null {
  const key = (typeof headers['x-api-key'] === 'string' ? headers['x-api-key'] : undefined) || bearer(headers);
  if (!key) return anthropicError(401, 'x-api-key header is required', ctx);
  if (apiKey !== undefined && key !== apiKey) return anthropicError(401, 'invalid x-api-key', ctx);
  if (typeof headers['anthropic-version'] !== 'string')
    return anthropicError(400, 'anthropic-version: header is required', ctx);
  return null;
}

export function anthropicStatusError(fault: StatusFault, ctx: RequestContext): JsonReply {
  const code = fault.code ?? (fault.status === 429 ? 'rate_limit' : fault.status === 529 ? 'overloaded' : undefined);
  const status =
    fault.status ?? (code === 'overloaded' ? 529 : code === 'server_error' ? 500 : code === 'rate_limit' ? 429 : 400);
  switch (code) {
    case 'rate_limit': {
      const seconds = fault.retryAfterSeconds ?? Math.ceil((fault.retryAfterMs ?? 1000) / 1000);
      const reset = new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      return anthropicError(
        status,
        'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
        ctx,
        {
          'retry-after': String(seconds),
          'anthropic-ratelimit-requests-limit': '50',
          'anthropic-ratelimit-requests-remaining': '0',
          'anthropic-ratelimit-requests-reset': reset,
        },
      );
    }
    case 'insufficient_quota':
      return anthropicError(
        status,
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
        ctx,
      );
    case 'context_length':
      return anthropicError(status, 'prompt is too long: 208310 tokens > 200000 maximum', ctx);
    case 'overloaded':
      return anthropicError(status, 'Overloaded', ctx, {}, 'overloaded_error');
    default:
      if (status >= 500 && status !== 529 && status !== 504)
        return anthropicError(status, 'Internal server error', ctx, {}, 'api_error');
      return anthropicError(status, status === 529 ? 'Overloaded' : `Simulated ${status}`, ctx);
  }
}

export function anthropicStreamError(ctx: RequestContext): string {
  return namedEvent('error', {
    type: 'error',
    error: { type: 'overloaded_error', message: 'Overloaded' },
    request_id: requestIdOf(ctx),
  });
}
