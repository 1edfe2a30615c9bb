// Anthropic's error body `{ type: 'error', error: { type, message } }` for failures on `/v1/messages`.
import type { SseEvent } from '../provider-adapter.js';

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/** HTTP status → Anthropic error type (wire-formats.md §2.4). */
export function anthropicErrorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

export function toAnthropicError(status: number, message: string): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(status), message } };
}

/** The same error as an in-stream `event: error` (after HTTP 200, the stream then ends). */
export function anthropicErrorEvent(status: number, message: string): SseEvent {
  return { event: 'error', data: JSON.stringify(toAnthropicError(status, message)) };
}
