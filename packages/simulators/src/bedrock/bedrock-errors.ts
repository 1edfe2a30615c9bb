// Bedrock (AWS restJson1) error replies: the type in `x-amzn-ErrorType`, `{ "message" }` in the body; in a
// stream, an exception frame (`:message-type: exception`, lowerCamel `:exception-type`).
import { jsonReply, type RequestContext, type StatusFault } from '../provider.js';
import type { JsonReply } from '../types.js';
import { exceptionFrame } from './event-stream-frames.js';

const NAMESPACE: Record<string, string> = {
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
  IncompleteSignatureException: 'com.amazon.coral.service',
  UnrecognizedClientException: 'com.amazon.coral.service',
  InvalidSignatureException: 'com.amazon.coral.service',
};

export function bedrockError(status: number, type: string, message: string, ctx: RequestContext): JsonReply {
  const ns = NAMESPACE[type] ?? 'com.amazon.bedrock';
  return jsonReply(
    status,
    { message },
    {
      'x-amzn-requestid': ctx.requestId,
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/${ns}/`,
    },
  );
}

const BY_STATUS: Record<number, [string, string]> = {
  400: ['ValidationException', 'Malformed input request, please reformat your input and try again.'],
  403: ['AccessDeniedException', "You don't have access to the model with the specified model ID."],
  404: ['ResourceNotFoundException', 'Could not resolve the foundation model from the provided model identifier.'],
  408: ['ModelTimeoutException', 'Model has timed out in processing the request. Try your request again.'],
  424: ['ModelErrorException', 'The model produced an invalid response.'],
  429: ['ThrottlingException', 'Too many requests, please wait before trying again.'],
  500: [
    'InternalServerException',
    'The system encountered an unexpected error during processing. Try your request again.',
  ],
  503: ['ServiceUnavailableException', 'Bedrock is unable to process your request.'],
};

export function bedrockStatusError(fault: StatusFault, ctx: RequestContext): JsonReply {
  switch (fault.code) {
    case 'rate_limit':
      return bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', ctx);
    case 'insufficient_quota':
      return bedrockError(
        400,
        'ServiceQuotaExceededException',
        'Your request exceeds the service quota for your account. You can view your quotas at https://console.aws.amazon.com/servicequotas/.',
        ctx,
      );
    case 'context_length':
      return bedrockError(400, 'ValidationException', 'Input is too long for requested model.', ctx);
    case 'overloaded':
      return bedrockError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.', ctx);
    case 'server_error':
      return bedrockError(500, ...(BY_STATUS[500] as [string, string]), ctx);
  }
  const status = fault.status ?? 429;
  const [type, message] = BY_STATUS[status] ?? ['InternalServerException', `Simulated ${status}`];
  return bedrockError(status, type, message, ctx);
}

export function bedrockStreamError(): Uint8Array {
  return exceptionFrame('serviceUnavailableException', { message: 'Bedrock is unable to process your request.' });
}
