import type { ErrorClass } from '../types.js';

export interface ErrorClassInfo {
  /** Worth trying the same target again (after retryAfterMs when given). */
  retryable: boolean;
  /** Worth trying another target/provider. */
  fallbackEligible: boolean;
  /** Status the gateway returns to its client for this class. */
  httpStatus: number;
  /** OpenAI-style `error.type` for the gateway's client-facing error body. */
  openaiType: string;
}

/** One row per class: the gateway maps errors to client statuses and retry/fallback decisions from here. */
export const ERROR_CLASS_INFO: Readonly<Record<ErrorClass, ErrorClassInfo>> = {
  rate_limited: { retryable: true, fallbackEligible: true, httpStatus: 429, openaiType: 'rate_limit_error' },
  quota_exhausted: { retryable: false, fallbackEligible: true, httpStatus: 429, openaiType: 'insufficient_quota' },
  overloaded: { retryable: true, fallbackEligible: true, httpStatus: 503, openaiType: 'service_unavailable' },
  auth: { retryable: false, fallbackEligible: true, httpStatus: 401, openaiType: 'authentication_error' },
  permission: { retryable: false, fallbackEligible: true, httpStatus: 403, openaiType: 'permission_error' },
  not_found: { retryable: false, fallbackEligible: true, httpStatus: 404, openaiType: 'not_found_error' },
  bad_request: { retryable: false, fallbackEligible: false, httpStatus: 400, openaiType: 'invalid_request_error' },
  // Another model may have a larger context window.
  context_length: { retryable: false, fallbackEligible: true, httpStatus: 400, openaiType: 'invalid_request_error' },
  content_filter: { retryable: false, fallbackEligible: false, httpStatus: 400, openaiType: 'invalid_request_error' },
  request_too_large: {
    retryable: false,
    fallbackEligible: false,
    httpStatus: 413,
    openaiType: 'invalid_request_error',
  },
  timeout: { retryable: true, fallbackEligible: true, httpStatus: 504, openaiType: 'timeout_error' },
  connection: { retryable: true, fallbackEligible: true, httpStatus: 502, openaiType: 'api_connection_error' },
  upstream_5xx: { retryable: true, fallbackEligible: true, httpStatus: 502, openaiType: 'server_error' },
  stream_interrupted: { retryable: true, fallbackEligible: true, httpStatus: 502, openaiType: 'server_error' },
  invalid_response: { retryable: true, fallbackEligible: true, httpStatus: 502, openaiType: 'server_error' },
  cancelled: { retryable: false, fallbackEligible: false, httpStatus: 499, openaiType: 'cancelled' },
  unknown: { retryable: false, fallbackEligible: false, httpStatus: 500, openaiType: 'server_error' },
};

/** When no provider code matched: classify by HTTP status alone. */
export function classFromStatus(status: number): ErrorClass {
  switch (status) {
    case 400:
    case 422:
      return 'bad_request';
    case 401:
      return 'auth';
    case 402:
      return 'quota_exhausted';
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 408:
    case 504:
      return 'timeout';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limited';
    case 499:
      return 'cancelled';
    case 503:
    case 529:
      return 'overloaded';
    default:
      return status >= 500 && status < 600 ? 'upstream_5xx' : status >= 400 && status < 500 ? 'bad_request' : 'unknown';
  }
}
