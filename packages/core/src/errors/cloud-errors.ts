// Error tables for the cloud routes to the same models: Azure OpenAI (OpenAI bodies plus Azure's codes and
// content-filter `innererror`), Amazon Bedrock (error type in the `x-amzn-errortype` header or `__type`) and
// Vertex AI (Google RPC bodies, or Anthropic bodies from Claude's rawPredict).
import { asObject } from '../usage/read-fields.js';
import { ANTHROPIC_ERRORS } from './anthropic-errors.js';
import { GEMINI_ERRORS } from './gemini-errors.js';
import { OPENAI_ERRORS } from './openai-errors.js';
import type { ProviderErrorTable } from './provider-error-table.js';
import { headerValue } from './retry-after.js';

export const AZURE_OPENAI_ERRORS: ProviderErrorTable = {
  read(body, headers) {
    const facts = OPENAI_ERRORS.read(body, headers);
    const e = asObject(asObject(body)?.error) ?? asObject(body);
    const inner = asObject(e?.innererror ?? e?.inner_error);
    // `innererror.code` (ResponsibleAIPolicyViolation under code content_filter) classifies when the top-level
    // code does not; the top-level one stays first, as it is what clients check (`err.code === 'content_filter'`).
    if (typeof inner?.code === 'string') facts.codes.push(inner.code);
    return facts;
  },
  codes: {
    ...OPENAI_ERRORS.codes,
    ResponsibleAIPolicyViolation: 'content_filter',
    DeploymentNotFound: 'not_found',
    OperationNotSupported: 'bad_request',
    InvalidAuthenticationToken: 'auth',
    AuthenticationTypeDisabled: 'auth',
    PermissionDenied: 'permission',
    '429': 'rate_limited',
    '401': 'auth',
  },
  messages: OPENAI_ERRORS.messages ?? [],
};

/** `ThrottlingException:http://internal.amazon.com/…` or `com.amazon.coral.service#ThrottlingException` → name. */
function awsErrorName(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw === '') return undefined;
  const name = (raw.split(':')[0] ?? '').split('#').at(-1) ?? '';
  // In-stream exceptions are lowerCamel (`throttlingException`); HTTP ones UpperCamel.
  return name ? name.charAt(0).toUpperCase() + name.slice(1) : undefined;
}

export const BEDROCK_ERRORS: ProviderErrorTable = {
  read(body, headers) {
    const o = asObject(body);
    const codes = [awsErrorName(headerValue(headers, 'x-amzn-errortype')), awsErrorName(o?.__type)].filter(
      (c): c is string => c !== undefined,
    );
    const message = o?.message ?? o?.Message;
    return { codes, ...(typeof message === 'string' && { message }) };
  },
  codes: {
    ThrottlingException: 'rate_limited',
    TooManyRequestsException: 'rate_limited',
    ServiceQuotaExceededException: 'rate_limited',
    ModelNotReadyException: 'overloaded',
    ServiceUnavailableException: 'overloaded',
    InternalServerException: 'upstream_5xx',
    ModelErrorException: 'upstream_5xx',
    ModelStreamErrorException: 'upstream_5xx',
    ModelTimeoutException: 'timeout',
    AccessDeniedException: 'permission',
    ResourceNotFoundException: 'not_found',
    UnrecognizedClientException: 'auth',
    InvalidSignatureException: 'auth',
    IncompleteSignatureException: 'auth',
    MissingAuthenticationTokenException: 'auth',
    ExpiredTokenException: 'auth',
  },
  // ValidationException covers many cases (→ bad_request by status); context length is told by its message.
  messages: [
    [
      /input is too long|too many (input )?tokens|prompt is too long|context (window|length)|max(imum)? context/i,
      'context_length',
    ],
    [/don't have access to the model|not authorized to perform|access denied/i, 'permission'],
    [/signature (we calculated )?does not match|security token included in the request is invalid/i, 'auth'],
  ],
};

export const VERTEX_ERRORS: ProviderErrorTable = {
  read(body, headers) {
    const o = asObject(Array.isArray(body) ? body[0] : body);
    return o?.type === 'error' ? ANTHROPIC_ERRORS.read(body, headers) : GEMINI_ERRORS.read(body, headers);
  },
  codes: { ...GEMINI_ERRORS.codes, ...ANTHROPIC_ERRORS.codes },
  messages: [...(ANTHROPIC_ERRORS.messages ?? []), ...(GEMINI_ERRORS.messages ?? [])],
};
