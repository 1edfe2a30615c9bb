// The Amazon Bedrock runtime simulator: POST /model/{modelId}/converse(-stream) for any model, and
// /invoke(-with-response-stream) for Anthropic Claude bodies; SigV4 verified against AWS's
// documented example credentials (or a Bedrock API key as a bearer token when `apiKey` is set), AWS error bodies.
import { bearer, type ProviderImpl } from '../provider.js';
import { bedrockConverse } from './bedrock-converse.js';
import { bedrockError, bedrockStatusError, bedrockStreamError } from './bedrock-errors.js';
import { bedrockInvokeAnthropic } from './bedrock-invoke.js';
import { verifySigV4 } from './sigv4-verify.js';

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream|invoke|invoke-with-response-stream)$/;

export const bedrockProvider: ProviderImpl = {
  checkAuth(headers, query, apiKey, ctx) {
    const token = bearer(headers);
    if (token !== undefined && apiKey !== undefined && token === apiKey) return null;
    const failure = verifySigV4({ method: ctx.method, path: ctx.pathname, query, headers, body: ctx.raw }, 'bedrock');
    return failure ? bedrockError(403, failure.type, failure.message, ctx) : null;
  },
  handle(ctx) {
    const m = ROUTE.exec(ctx.pathname);
    if (ctx.method !== 'POST' || !m) return bedrockError(404, 'UnknownOperationException', 'Unknown operation', ctx);
    if (m[2] === 'invoke' || m[2] === 'invoke-with-response-stream')
      return bedrockInvokeAnthropic(ctx, decodeURIComponent(m[1] ?? ''), m[2] !== 'invoke');
    return bedrockConverse(ctx, m[2] === 'converse-stream');
  },
  statusError: bedrockStatusError,
  badRequest: (message, ctx) => bedrockError(400, 'ValidationException', message, ctx),
  requestIdHeaders: (ctx) => ({ 'x-amzn-requestid': ctx.requestId }),
  streamErrorEvent: bedrockStreamError,
};
