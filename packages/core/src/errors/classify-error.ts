import type { ErrorClass, ErrorInfo, ProviderKind } from '../types.js';
import { asObject } from '../usage/read-fields.js';
import { buildErrorInfo, classifyHttpError, classifyStreamError, guessProvider } from './classify-http-error.js';
import type { HeaderBag } from './retry-after.js';

/** Node / undici error codes → class. */
const NETWORK_CODES: Record<string, ErrorClass> = {
  ECONNRESET: 'connection',
  ECONNREFUSED: 'connection',
  EPIPE: 'connection',
  ENOTFOUND: 'connection',
  EAI_AGAIN: 'connection',
  EHOSTUNREACH: 'connection',
  ENETUNREACH: 'connection',
  UND_ERR_SOCKET: 'connection',
  UND_ERR_CLOSED: 'connection',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_ABORTED: 'cancelled',
  ABORT_ERR: 'cancelled',
};

/** SDK error class names that carry no status (Stainless SDKs: openai, @anthropic-ai/sdk). */
const SDK_NAMES: Record<string, ErrorClass> = {
  APIConnectionTimeoutError: 'timeout',
  APIConnectionError: 'connection',
  APIUserAbortError: 'cancelled',
};

function nameOf(e: Record<string, unknown>): string {
  const ctor = (e.constructor as { name?: unknown } | undefined)?.name;
  return typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof ctor === 'string' ? ctor : '';
}

/** Walk `cause` links (bounded) looking for a network code or an abort/timeout name. */
function fromChain(err: unknown): { errorClass: ErrorClass; code: string } | undefined {
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && cur; depth++) {
    const e = asObject(cur);
    if (!e) return undefined;
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && NETWORK_CODES[code]) return { errorClass: NETWORK_CODES[code], code };
    const name = nameOf(e);
    if (name === 'TimeoutError') return { errorClass: 'timeout', code: name };
    cur = e.cause;
  }
  return undefined;
}

function messageOf(e: Record<string, unknown> | undefined, fallback: string): string {
  return typeof e?.message === 'string' && e.message !== '' ? e.message : fallback;
}

/**
 * AWS SDK v3 service exceptions (`ThrottlingException`, …) carry the modelled error name, `$fault` and
 * `$metadata.httpStatusCode` (none for an exception frame inside an event stream): classified by Bedrock's table.
 */
function awsServiceError(e: Record<string, unknown>, name: string, provider?: ProviderKind): ErrorInfo | undefined {
  if ((provider !== undefined && provider !== 'bedrock') || typeof e.$fault !== 'string' || !name) return undefined;
  const body = { __type: name, message: e.message };
  const status = asObject(e.$metadata)?.httpStatusCode;
  const headers = asObject(e.$response)?.headers as HeaderBag | undefined;
  return typeof status === 'number' && status >= 400
    ? classifyHttpError('bedrock', status, body, headers)
    : classifyStreamError('bedrock', body);
}

/**
 * Classify anything thrown by a provider call: official SDK errors (duck-typed, never imported), undici/Node
 * network errors, aborts and timeouts, unparsable bodies.
 */
export function classifyError(err: unknown, provider?: ProviderKind): ErrorInfo {
  const e = asObject(err);
  if (!e) return buildErrorInfo('unknown', String(err));
  const name = nameOf(e);

  const aws = awsServiceError(e, name, provider);
  if (aws) return aws;

  // HTTP errors from the SDKs: openai/anthropic APIError (status, error, headers); @google/genai ApiError
  // (status, message = the JSON body).
  if (typeof e.status === 'number' && e.status >= 400) {
    const body = e.error !== undefined ? e.error : e.message;
    const p = provider ?? (name === 'ApiError' ? 'gemini' : guessProvider(body));
    const info = classifyHttpError(p, e.status, body, e.headers as HeaderBag | undefined);
    return { ...info, message: info.message === `HTTP ${e.status}` ? messageOf(e, info.message) : info.message };
  }

  // An SDK APIError without a status: an error event inside a 200 stream (e.g. Anthropic `event: error`).
  if (e.status === undefined && asObject(e.error)) {
    const info = classifyStreamError(provider ?? guessProvider(e.error), e.error);
    if (info.errorClass !== 'stream_interrupted' || info.providerCode) return info;
  }

  if (name === 'AbortError') {
    // AbortSignal.timeout() aborts with a TimeoutError reason; fetch may surface it as the cause.
    const reason = fromChain(e.cause);
    return buildErrorInfo(reason?.errorClass === 'timeout' ? 'timeout' : 'cancelled', messageOf(e, 'aborted'), {
      providerCode: reason?.code ?? name,
    });
  }
  const sdkClass = SDK_NAMES[name];
  const chained = fromChain(err);
  if (sdkClass === 'connection' && chained)
    return buildErrorInfo(chained.errorClass, messageOf(e, name), { providerCode: chained.code });
  if (sdkClass) return buildErrorInfo(sdkClass, messageOf(e, name), { providerCode: name });
  if (chained) return buildErrorInfo(chained.errorClass, messageOf(e, chained.code), { providerCode: chained.code });
  if (name === 'SyntaxError' || err instanceof SyntaxError)
    return buildErrorInfo('invalid_response', messageOf(e, name), { providerCode: name });
  return buildErrorInfo('unknown', messageOf(e, name || 'unknown error'));
}
