// Anything thrown while talking to a provider (not an HTTP status) → ErrorInfo, via core's classifier (undici's
// stable error codes), with the two aborts only the gateway can tell apart: the client left, or our deadline fired.
// The message reaches the client, so it names the provider id and a short reason, never the transport's own text
// (`connect ECONNREFUSED 10.0.0.7:443` is internal topology); that detail goes to the log (`transportDetail`).
import { buildErrorInfo, classifyError, type ErrorInfo, type ProviderKind } from '@switchyard/core';

export interface AbortCause {
  /** The client went away: nobody is waiting, do not retry. */
  clientGone: boolean;
  /** The attempt's own deadline fired. */
  timedOut: boolean;
}

/** Transport codes (Node / undici) → the words a client sees. Unknown codes say only the error class. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection reset',
  UND_ERR_CLOSED: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
  TimeoutError: 'no answer in time',
  SyntaxError: 'unparsable response',
};

const WHAT: Partial<Record<ErrorInfo['errorClass'], string>> = {
  connection: 'connection failed',
  timeout: 'timed out',
  invalid_response: 'sent an invalid response',
};

export function classifyTransportError(
  err: unknown,
  kind: ProviderKind,
  providerId: string,
  cause: AbortCause,
): ErrorInfo {
  if (cause.clientGone) return buildErrorInfo('cancelled', 'client disconnected');
  if (cause.timedOut) return buildErrorInfo('timeout', `${providerId}: upstream deadline exceeded`);
  const info = classifyError(err, kind);
  const what = WHAT[info.errorClass] ?? 'request failed';
  const reason = (info.providerCode !== undefined ? REASONS[info.providerCode] : undefined) ?? info.errorClass;
  return { ...info, message: `provider "${providerId}" ${what} (${reason})` };
}

/** The transport's own description of `err` (code and message, may name hosts): for the operator's log only. */
export function transportDetail(err: unknown): { code?: string; detail: string } {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const causeMessage = typeof e?.cause?.message === 'string' ? `: ${e.cause.message}` : '';
  return { ...(code !== undefined && { code }), detail: `${message}${causeMessage}` };
}
