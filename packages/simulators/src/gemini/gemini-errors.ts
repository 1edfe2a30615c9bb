// Google RPC-style errors ({ error: { code, message, status, details } }) and API key rules.
import type { IncomingHttpHeaders } from 'node:http';
import { dataEvent, jsonReply, type RequestContext, type StatusFault } from '../provider.js';
import type { JsonReply } from '../types.js';

const STATUS_BY_CODE: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const GEMINI_HEADERS = { 'content-type': 'application/json; charset=UTF-8', server: 'scaffolding on HTTPServer2' };

export function geminiError(code: number, message: string, details?: unknown[], status?: string): JsonReply {
  const error: Record<string, unknown> = {
    code,
    message,
    status: status ?? STATUS_BY_CODE[code] ?? (code >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT'),
  };
  if (details) error.details = details;
  return jsonReply(code, { error }, GEMINI_HEADERS);
}

const KEY_INVALID = 'API key not valid. Please pass a valid API key.';

export function geminiAuth(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  apiKey: string | undefined,
): JsonReply | null {
  const header = headers['x-goog-api-key'];
  const key = (typeof header === 'string' ? header : undefined) || query.get('key') || undefined;
  if (key && (apiKey === undefined || key === apiKey)) return null;
  return geminiError(400, KEY_INVALID, [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
      metadata: { service: 'generativelanguage.googleapis.com' },
    },
    { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: KEY_INVALID },
  ]);
}

export function geminiStatusError(fault: StatusFault, _ctx: RequestContext): JsonReply {
  const code = fault.code ?? (fault.status === 429 ? 'rate_limit' : fault.status === 503 ? 'overloaded' : undefined);
  const status =
    fault.status ??
    (code === 'overloaded' ? 503 : code === 'server_error' ? 500 : code === 'context_length' ? 400 : 429);
  switch (code) {
    case 'rate_limit':
    case 'insufficient_quota': {
      const seconds = fault.retryAfterSeconds ?? (fault.retryAfterMs ?? 1000) / 1000;
      const quotaId =
        code === 'rate_limit'
          ? 'GenerateRequestsPerMinutePerProjectPerModel'
          : 'GenerateRequestsPerDayPerProjectPerModel-FreeTier';
      return geminiError(status, 'You exceeded your current quota, please check your plan and billing details.', [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId }] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s` },
      ]);
    }
    case 'context_length':
      return geminiError(
        status,
        'The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).',
      );
    case 'overloaded':
      return geminiError(status, 'The model is overloaded. Please try again later.');
    default:
      return geminiError(
        status,
        status >= 500
          ? 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'
          : `Simulated ${status}`,
      );
  }
}

export function geminiStreamError(): string {
  return dataEvent({
    error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' },
  });
}

export { GEMINI_HEADERS };
