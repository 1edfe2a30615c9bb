import { asObject } from '../usage/read-fields.js';
import type { ProviderErrorTable } from './provider-error-table.js';

/** OpenAI (and OpenAI-compatible) `{ error: { message, type, param, code } }`. */
export const OPENAI_ERRORS: ProviderErrorTable = {
  read(body) {
    const outer = asObject(body);
    // The SDK's APIError.error is the inner object already.
    const e = asObject(outer?.error) ?? outer;
    const codes = [e?.code, e?.type].filter((c): c is string => typeof c === 'string' && c !== '');
    return { codes, ...(typeof e?.message === 'string' && { message: e.message }) };
  },
  codes: {
    insufficient_quota: 'quota_exhausted',
    billing_hard_limit_reached: 'quota_exhausted',
    context_length_exceeded: 'context_length',
    string_above_max_length: 'request_too_large',
    rate_limit_exceeded: 'rate_limited',
    requests: 'rate_limited',
    tokens: 'rate_limited',
    invalid_api_key: 'auth',
    invalid_authentication: 'auth',
    authentication_error: 'auth',
    unsupported_country_region_territory: 'permission',
    permission_error: 'permission',
    model_not_found: 'not_found',
    content_policy_violation: 'content_filter',
    content_filter: 'content_filter',
    server_error: 'upstream_5xx',
    api_error: 'upstream_5xx',
  },
  messages: [
    [/maximum context length|context window|too many tokens/i, 'context_length'],
    [/exceeded your current quota/i, 'quota_exhausted'],
  ],
};
