// OpenAI error bodies and headers, as the real API sends them.
import { bearer, dataEvent, jsonReply, type RequestContext, type StatusFault } from '../provider.js';
import type { JsonReply } from '../types.js';

export function openaiError(
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
  headers: Record<string, string> = {},
): JsonReply {
  return jsonReply(status, { error: { message, type, param, code } }, headers);
}

export function openaiAuth(
  authHeader: Record<string, string | string[] | undefined>,
  apiKey: string | undefined,
  ctx: RequestContext,
) {
  const key = bearer(authHeader);
  const h = { 'x-request-id': `req_${ctx.requestId}` };
  if (!key) {
    return openaiError(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      'invalid_request_error',
      null,
      null,
      h,
    );
  }
  if (apiKey !== undefined && key !== apiKey) {
    // The real API echoes a masked key; we never echo any part of a secret.
    return openaiError(
      401,
      'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
      'invalid_request_error',
      'invalid_api_key',
      null,
      h,
    );
  }
  return null;
}

export function openaiStatusError(fault: StatusFault, ctx: RequestContext): JsonReply {
  const code = fault.code ?? (fault.status === 429 ? 'rate_limit' : fault.status === 503 ? 'overloaded' : undefined);
  const status =
    fault.status ??
    (code === 'context_length' ? 400 : code === 'overloaded' ? 503 : code === 'server_error' ? 500 : 429);
  const model = String(((ctx.body ?? {}) as Record<string, unknown>).model ?? 'gpt-4o');
  const h: Record<string, string> = { 'x-request-id': `req_${ctx.requestId}` };
  switch (code) {
    case 'rate_limit': {
      const ms = fault.retryAfterMs ?? (fault.retryAfterSeconds ?? 1) * 1000;
      Object.assign(h, rateLimitHeaders(0), {
        'retry-after': String(fault.retryAfterSeconds ?? Math.ceil(ms / 1000)),
        'retry-after-ms': String(ms),
      });
      return openaiError(
        status,
        `Rate limit reached for ${model} in organization org-switchyardsim on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${ms}ms. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        'requests',
        'rate_limit_exceeded',
        null,
        h,
      );
    }
    case 'insufficient_quota':
      return openaiError(
        status,
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        'insufficient_quota',
        'insufficient_quota',
        null,
        h,
      );
    case 'context_length':
      return openaiError(
        status,
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130123 tokens. Please reduce the length of the messages.",
        'invalid_request_error',
        'context_length_exceeded',
        'messages',
        h,
      );
    case 'overloaded':
      return openaiError(
        status,
        'The engine is currently overloaded, please try again later.',
        'server_error',
        null,
        null,
        h,
      );
    default:
      if (status >= 500)
        return openaiError(
          status,
          'The server had an error while processing your request. Sorry about that!',
          'server_error',
          null,
          null,
          h,
        );
      if (status === 404)
        return openaiError(
          status,
          `The model \`${model}\` does not exist or you do not have access to it.`,
          'invalid_request_error',
          'model_not_found',
          null,
          h,
        );
      if (status === 401)
        return openaiError(status, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key', null, h);
      if (status === 403)
        return openaiError(
          status,
          'Country, region, or territory not supported',
          'request_forbidden',
          'unsupported_country_region_territory',
          null,
          h,
        );
      return openaiError(status, 'Invalid request.', 'invalid_request_error', null, null, h);
  }
}

export function rateLimitHeaders(remainingRequests: number, usedTokens = 0): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': '10000',
    'x-ratelimit-limit-tokens': '30000000',
    'x-ratelimit-remaining-requests': String(remainingRequests),
    'x-ratelimit-remaining-tokens': String(30_000_000 - usedTokens),
    'x-ratelimit-reset-requests': '6ms',
    'x-ratelimit-reset-tokens': '0s',
  };
}

export function openaiStreamError(): string {
  return dataEvent({
    error: {
      message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error',
      param: null,
      code: null,
    },
  });
}
