// Anything thrown while talking to a provider (not an HTTP status) → ErrorInfo, via core's classifier (undici's
// stable error codes), with the two aborts only the gateway can tell apart: the client left, or our deadline fired.
import { buildErrorInfo, classifyError, type ErrorInfo, type ProviderKind } from '@switchyard/core';

export interface AbortCause {
  /** The client went away: nobody is waiting, do not retry. */
  clientGone: boolean;
  /** The attempt's own deadline fired. */
  timedOut: boolean;
}

export function classifyTransportError(
  err: unknown,
  kind: ProviderKind,
  providerId: string,
  cause: AbortCause,
): ErrorInfo {
  if (cause.clientGone) return buildErrorInfo('cancelled', 'client disconnected');
  if (cause.timedOut) return buildErrorInfo('timeout', `${providerId}: upstream deadline exceeded`);
  const info = classifyError(err, kind);
  return { ...info, message: `${providerId}: ${info.message}` };
}
