import { describe, expect, it } from 'vitest';
import { fixtureJson } from '../test-support/fixtures.js';
import type { ErrorClass, ProviderKind } from '../types.js';
import { classifyError } from './classify-error.js';
import { classifyHttpError, classifyStreamError } from './classify-http-error.js';
import { ERROR_CLASS_INFO } from './error-class-info.js';
import { parseDurationMs, retryAfterFromHeaders } from './retry-after.js';

const oai = (type: string, code: string | null, message = 'm') => ({ error: { message, type, param: null, code } });
const ant = (type: string, message = 'm') => ({ type: 'error', error: { type, message }, request_id: 'req_1' });
const gem = (code: number, status: string, details: unknown[] = [], message = 'm') => ({
  error: { code, message, status, details },
});

const CASES: Array<[ProviderKind, number, unknown, ErrorClass, string | undefined]> = [
  ['openai', 429, oai('insufficient_quota', 'insufficient_quota'), 'quota_exhausted', 'insufficient_quota'],
  ['openai', 429, oai('tokens', 'rate_limit_exceeded'), 'rate_limited', 'rate_limit_exceeded'],
  ['openai', 400, oai('invalid_request_error', 'context_length_exceeded'), 'context_length', 'context_length_exceeded'],
  [
    'openai',
    400,
    fixtureJson('openai/reasoning-model-legacy-parameter-error.json'),
    'bad_request',
    'unsupported_parameter',
  ],
  ['openai', 401, oai('invalid_request_error', 'invalid_api_key'), 'auth', 'invalid_api_key'],
  [
    'openai',
    403,
    oai('invalid_request_error', 'unsupported_country_region_territory'),
    'permission',
    'unsupported_country_region_territory',
  ],
  ['openai', 404, oai('invalid_request_error', 'model_not_found'), 'not_found', 'model_not_found'],
  [
    'openai',
    400,
    oai('invalid_request_error', 'content_policy_violation'),
    'content_filter',
    'content_policy_violation',
  ],
  ['openai', 500, oai('server_error', null), 'upstream_5xx', 'server_error'],
  ['openai', 503, { error: { message: 'overloaded' } }, 'overloaded', undefined],
  ['openai-compatible', 502, '<html>bad gateway</html>', 'upstream_5xx', undefined],
  ['openai-compatible', 422, oai('invalid_request_error', null), 'bad_request', 'invalid_request_error'],
  ['anthropic', 529, ant('overloaded_error'), 'overloaded', 'overloaded_error'],
  ['anthropic', 413, ant('request_too_large'), 'request_too_large', 'request_too_large'],
  ['anthropic', 429, ant('rate_limit_error'), 'rate_limited', 'rate_limit_error'],
  ['anthropic', 401, ant('authentication_error'), 'auth', 'authentication_error'],
  ['anthropic', 402, ant('billing_error'), 'quota_exhausted', 'billing_error'],
  ['anthropic', 403, ant('permission_error'), 'permission', 'permission_error'],
  ['anthropic', 404, ant('not_found_error'), 'not_found', 'not_found_error'],
  [
    'anthropic',
    400,
    ant('invalid_request_error', 'prompt is too long: 250000 tokens > 200000 maximum'),
    'context_length',
    'invalid_request_error',
  ],
  [
    'anthropic',
    400,
    ant('invalid_request_error', 'max_tokens: field required'),
    'bad_request',
    'invalid_request_error',
  ],
  ['anthropic', 500, ant('api_error'), 'upstream_5xx', 'api_error'],
  ['anthropic', 504, ant('timeout_error'), 'timeout', 'timeout_error'],
  [
    'gemini',
    400,
    gem(400, 'INVALID_ARGUMENT', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }]),
    'auth',
    'API_KEY_INVALID',
  ],
  ['gemini', 400, gem(400, 'INVALID_ARGUMENT'), 'bad_request', 'INVALID_ARGUMENT'],
  ['gemini', 400, gem(400, 'FAILED_PRECONDITION'), 'bad_request', 'FAILED_PRECONDITION'],
  ['gemini', 403, gem(403, 'PERMISSION_DENIED'), 'permission', 'PERMISSION_DENIED'],
  ['gemini', 404, gem(404, 'NOT_FOUND'), 'not_found', 'NOT_FOUND'],
  ['gemini', 429, fixtureJson('google/google-429-retry-info.json'), 'rate_limited', 'RESOURCE_EXHAUSTED'],
  [
    'gemini',
    429,
    gem(429, 'RESOURCE_EXHAUSTED', [
      {
        '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
        violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel' }],
      },
    ]),
    'quota_exhausted',
    'QUOTA_EXHAUSTED',
  ],
  ['gemini', 500, gem(500, 'INTERNAL'), 'upstream_5xx', 'INTERNAL'],
  ['gemini', 503, gem(503, 'UNAVAILABLE'), 'overloaded', 'UNAVAILABLE'],
  ['gemini', 504, gem(504, 'DEADLINE_EXCEEDED'), 'timeout', 'DEADLINE_EXCEEDED'],
];

describe('classifyHttpError tables', () => {
  it.each(CASES)('%s %i → %s', (provider, status, body, errorClass, providerCode) => {
    const info = classifyHttpError(provider, status, body);
    expect(info.errorClass).toBe(errorClass);
    expect(info.providerCode).toBe(providerCode);
    expect(info.status).toBe(status);
    expect(info.retryable).toBe(ERROR_CLASS_INFO[errorClass].retryable);
    expect(info.fallbackEligible).toBe(ERROR_CLASS_INFO[errorClass].fallbackEligible);
  });

  it('quota_exhausted is not retryable but may fall back; rate limits are retryable', () => {
    expect(ERROR_CLASS_INFO.quota_exhausted).toMatchObject({ retryable: false, fallbackEligible: true });
    expect(ERROR_CLASS_INFO.rate_limited).toMatchObject({ retryable: true, httpStatus: 429 });
    expect(ERROR_CLASS_INFO.overloaded.httpStatus).toBe(503);
    expect(ERROR_CLASS_INFO.timeout.httpStatus).toBe(504);
    expect(ERROR_CLASS_INFO.connection.httpStatus).toBe(502);
  });

  it('reads the message, parses text bodies, and keeps non-JSON text short', () => {
    expect(classifyHttpError('anthropic', 529, JSON.stringify(ant('overloaded_error', 'Overloaded'))).message).toBe(
      'Overloaded',
    );
    expect(classifyHttpError('openai', 502, 'x'.repeat(2000)).message).toHaveLength(500);
    expect(classifyHttpError('openai', 500, undefined).message).toBe('HTTP 500');
  });
});

describe('retry-after', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('prefers retry-after-ms, then retry-after seconds or date', () => {
    expect(retryAfterFromHeaders({ 'retry-after-ms': '1500', 'retry-after': '9' })).toBe(1500);
    expect(retryAfterFromHeaders({ 'Retry-After': '2' })).toBe(2000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '0.5' }))).toBe(500);
    expect(retryAfterFromHeaders({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterFromHeaders({ 'retry-after': 'Wed, 31 Dec 2025 00:00:30 GMT' }, now)).toBe(0);
    expect(retryAfterFromHeaders({ 'retry-after': ['3', '4'] })).toBe(3000);
    expect(retryAfterFromHeaders({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterFromHeaders(undefined)).toBeUndefined();
  });
  it('parses Gemini RetryInfo durations', () => {
    expect(parseDurationMs('22s')).toBe(22_000);
    expect(parseDurationMs('34.4s')).toBe(34_400);
    expect(parseDurationMs('1m')).toBeUndefined();
    expect(classifyHttpError('gemini', 429, fixtureJson('google/google-429-retry-info.json')).retryAfterMs).toBe(
      34_400,
    );
  });
  it('a header wins over the body hint', () => {
    expect(
      classifyHttpError('gemini', 429, fixtureJson('google/google-429-retry-info.json'), { 'retry-after': '1' })
        .retryAfterMs,
    ).toBe(1000);
  });
});

/** Shapes of the official SDKs' errors, reproduced without importing them. */
class APIError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly error: unknown,
    readonly headers: Headers,
  ) {
    super(`${status} ${JSON.stringify(error)}`);
  }
}
class RateLimitError extends APIError {}
class APIConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
class APIConnectionTimeoutError extends APIConnectionError {}
class APIUserAbortError extends Error {}
class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const sysErr = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('classifyError (anything thrown)', () => {
  it('openai SDK errors: inner error object + Headers', () => {
    const e = new RateLimitError(
      429,
      { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota', param: null },
      new Headers({ 'retry-after-ms': '20' }),
    );
    expect(classifyError(e, 'openai')).toMatchObject({
      errorClass: 'quota_exhausted',
      status: 429,
      retryAfterMs: 20,
      message: 'quota',
    });
  });
  it('anthropic SDK errors: full body, provider guessed from its shape', () => {
    const e = new APIError(529, ant('overloaded_error', 'Overloaded'), new Headers({ 'retry-after': '3' }));
    expect(classifyError(e)).toMatchObject({
      errorClass: 'overloaded',
      status: 529,
      retryAfterMs: 3000,
      providerCode: 'overloaded_error',
    });
  });
  it('@google/genai ApiError: message is the JSON body', () => {
    const e = new ApiError(JSON.stringify(fixtureJson('google/google-429-retry-info.json')), 429);
    expect(classifyError(e)).toMatchObject({
      errorClass: 'rate_limited',
      retryAfterMs: 34_400,
      providerCode: 'RESOURCE_EXHAUSTED',
    });
  });
  it.each([
    ['ECONNRESET', 'connection'],
    ['ECONNREFUSED', 'connection'],
    ['EPIPE', 'connection'],
    ['ENOTFOUND', 'connection'],
    ['UND_ERR_SOCKET', 'connection'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
  ] as const)('network %s → %s, directly or as a cause', (code, errorClass) => {
    expect(classifyError(sysErr(code)).errorClass).toBe(errorClass);
    expect(classifyError(new TypeError('fetch failed', { cause: sysErr(code) })).errorClass).toBe(errorClass);
    expect(classifyError(new APIConnectionError('Connection error.', { cause: sysErr(code) })).providerCode).toBe(code);
  });
  it('SDK connection/timeout/abort classes', () => {
    expect(classifyError(new APIConnectionError('Connection error.')).errorClass).toBe('connection');
    expect(classifyError(new APIConnectionTimeoutError('Request timed out.')).errorClass).toBe('timeout');
    expect(classifyError(new APIUserAbortError('Request was aborted.')).errorClass).toBe('cancelled');
  });
  it('aborts: cancelled, or timeout when the reason is a TimeoutError', () => {
    const ac = new AbortController();
    ac.abort();
    expect(classifyError(ac.signal.reason).errorClass).toBe('cancelled');
    expect(classifyError(new DOMException('The operation was aborted', 'AbortError')).errorClass).toBe('cancelled');
    expect(classifyError(new DOMException('signal timed out', 'TimeoutError')).errorClass).toBe('timeout');
    const wrapped = Object.assign(new DOMException('aborted', 'AbortError'), {
      cause: new DOMException('t', 'TimeoutError'),
    });
    expect(classifyError(wrapped).errorClass).toBe('timeout');
  });
  it('a broken body is invalid_response; anything else unknown', () => {
    let syntax: unknown;
    try {
      JSON.parse('{"a":');
    } catch (e) {
      syntax = e;
    }
    expect(classifyError(syntax).errorClass).toBe('invalid_response');
    expect(classifyError(new Error('weird'))).toMatchObject({
      errorClass: 'unknown',
      message: 'weird',
      retryable: false,
    });
    expect(classifyError('a string').errorClass).toBe('unknown');
    expect(classifyError(undefined).errorClass).toBe('unknown');
  });
});

describe('classifyStreamError', () => {
  it('anthropic event: error after a 200', () => {
    expect(classifyStreamError('anthropic', ant('overloaded_error', 'Overloaded'))).toMatchObject({
      errorClass: 'overloaded',
      message: 'Overloaded',
    });
  });
  it('openai data: {"error": …}', () => {
    expect(classifyStreamError('openai', oai('server_error', null, 'boom')).errorClass).toBe('upstream_5xx');
    expect(classifyStreamError('openai', { error: { message: 'x' } }).errorClass).toBe('stream_interrupted');
  });
  it('gemini error event uses its own code', () => {
    expect(classifyStreamError('gemini', JSON.stringify(gem(503, 'UNAVAILABLE')))).toMatchObject({
      errorClass: 'overloaded',
      status: 503,
    });
    expect(classifyStreamError('gemini', { error: { code: 500, message: 'x' } }).errorClass).toBe('upstream_5xx');
  });
});

describe('SDK stream errors', () => {
  it('an APIError without status carrying an Anthropic error event body', () => {
    const e = new APIError(undefined, ant('overloaded_error', 'Overloaded'), new Headers());
    expect(classifyError(e)).toMatchObject({ errorClass: 'overloaded', providerCode: 'overloaded_error' });
  });
});
