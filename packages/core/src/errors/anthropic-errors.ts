import { asObject } from '../usage/read-fields.js';
import type { ProviderErrorTable } from './provider-error-table.js';

/** Anthropic `{ type: "error", error: { type, message }, request_id }`. */
export const ANTHROPIC_ERRORS: ProviderErrorTable = {
  read(body) {
    const outer = asObject(body);
    const e = asObject(outer?.error) ?? outer;
    const type = e?.type;
    return {
      codes: typeof type === 'string' && type !== 'error' ? [type] : [],
      ...(typeof e?.message === 'string' && { message: e.message }),
    };
  },
  codes: {
    overloaded_error: 'overloaded',
    rate_limit_error: 'rate_limited',
    billing_error: 'quota_exhausted',
    authentication_error: 'auth',
    permission_error: 'permission',
    not_found_error: 'not_found',
    request_too_large: 'request_too_large',
    api_error: 'upstream_5xx',
    timeout_error: 'timeout',
  },
  // invalid_request_error covers many cases: tell the ones that matter apart by message.
  messages: [
    [/prompt is too long|context window|too many tokens/i, 'context_length'],
    [/credit balance is too low/i, 'quota_exhausted'],
  ],
};
