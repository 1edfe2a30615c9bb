// One normaliser for everything that ends a request badly, and one formatter per client API format.
// Status and `type` come from core's ERROR_CLASS_INFO; an upstream status is kept when it is a real HTTP error.
import { ERROR_CLASS_INFO, type ErrorInfo } from '@switchyard/core';
import { AttemptError, GatewayError, RouteError } from './seams.js';

export type ApiFormat = 'openai' | 'anthropic';

export interface ClientError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function anthropicErrorType(status: number): string {
  return ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

const ANTHROPIC_TYPE_NAMES = new Set(Object.values(ANTHROPIC_TYPES));
const ANTHROPIC_TYPE_BY_CLASS: Partial<Record<ErrorInfo['errorClass'], string>> = {
  overloaded: 'overloaded_error',
  rate_limited: 'rate_limit_error',
  timeout: 'timeout_error',
  auth: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
};

/**
 * Anthropic `error.type` for a failure: the provider's own type when it already is one (an Anthropic
 * `overloaded_error` stays that, never `api_error`), else by error class, else by status.
 */
export function anthropicErrorTypeOf(info: ErrorInfo): string {
  if (info.providerCode && ANTHROPIC_TYPE_NAMES.has(info.providerCode)) return info.providerCode;
  return ANTHROPIC_TYPE_BY_CLASS[info.errorClass] ?? anthropicErrorType(info.status ?? 500);
}

function format(
  format: ApiFormat,
  status: number,
  fields: { message: string; type: string; code: string | null; param: string | null },
  headers: Record<string, string>,
  anthropicType = anthropicErrorType(status),
): ClientError {
  if (format === 'anthropic') {
    return {
      status,
      headers,
      body: { type: 'error', error: { type: anthropicType, message: fields.message } },
    };
  }
  return { status, headers, body: { error: fields } };
}

export function statusForInfo(info: ErrorInfo, api: ApiFormat): number {
  const s = info.status;
  if (s !== undefined && s >= 400 && s <= 599) return s === 529 && api === 'openai' ? 503 : s;
  // An overload reported in-stream (no HTTP status) is Anthropic's 529 to an Anthropic client.
  if (api === 'anthropic' && info.errorClass === 'overloaded' && info.providerCode === 'overloaded_error') return 529;
  return ERROR_CLASS_INFO[info.errorClass].httpStatus;
}

/** Error classes that transport failures (no HTTP status) produce; their codes are undici's or Node's, not the provider's. */
const TRANSPORT_CLASSES = new Set<ErrorInfo['errorClass']>(['connection', 'timeout', 'cancelled']);

/**
 * The client's `error.code`: the provider's own code when it sent one (HTTP error body or in-stream error event),
 * else the ErrorClass. A transport code (`UND_ERR_SOCKET`, `ECONNREFUSED`) stays on the span, not the wire.
 */
export function clientCode(info: ErrorInfo): string {
  if (info.providerCode === undefined) return info.errorClass;
  return info.status === undefined && TRANSPORT_CLASSES.has(info.errorClass) ? info.errorClass : info.providerCode;
}

export function fromErrorInfo(info: ErrorInfo, api: ApiFormat): ClientError {
  const headers: Record<string, string> = {};
  if (info.retryAfterMs !== undefined)
    headers['retry-after'] = String(Math.max(1, Math.ceil(info.retryAfterMs / 1000)));
  return format(
    api,
    statusForInfo(info, api),
    {
      message: info.message,
      type: ERROR_CLASS_INFO[info.errorClass].openaiType,
      code: clientCode(info),
      param: null,
    },
    headers,
    api === 'anthropic' ? anthropicErrorTypeOf(info) : undefined,
  );
}

export function fromGatewayError(err: GatewayError, api: ApiFormat): ClientError {
  return format(
    api,
    err.status,
    { message: err.message, type: err.type, code: err.code, param: err.param },
    {
      ...err.headers,
    },
  );
}

/** The boundary normaliser: anything thrown → a client error that leaks nothing internal. */
export function toClientError(err: unknown, api: ApiFormat): ClientError {
  if (err instanceof GatewayError) return fromGatewayError(err, api);
  if (err instanceof RouteError || err instanceof AttemptError) return fromErrorInfo(err.info, api);
  return format(api, 500, { message: 'Internal gateway error', type: 'server_error', code: null, param: null }, {});
}

export function badRequest(message: string, param: string | null = null, code: string | null = null): GatewayError {
  return new GatewayError(400, 'invalid_request_error', code, message, {}, param);
}
