// The OpenAI simulator: routes, auth (Authorization: Bearer), errors.
import type { ProviderImpl } from '../provider.js';
import { openaiChat } from './openai-chat.js';
import { openaiEmbeddings, openaiModels } from './openai-embeddings.js';
import { openaiAuth, openaiError, openaiStatusError, openaiStreamError } from './openai-errors.js';
import { openaiResponses, openaiResponsesStreamError } from './openai-responses.js';

export const openaiProvider: ProviderImpl = {
  checkAuth: (headers, _query, apiKey, ctx) => openaiAuth(headers, apiKey, ctx),
  handle(ctx) {
    const { method, pathname } = ctx;
    if (method === 'POST' && pathname === '/v1/chat/completions') {
      if (ctx.body === undefined) return this.badRequest('We could not parse the JSON body of your request.', ctx);
      return openaiChat(ctx);
    }
    if (method === 'POST' && pathname === '/v1/responses') {
      if (ctx.body === undefined) return this.badRequest('We could not parse the JSON body of your request.', ctx);
      return openaiResponses(ctx);
    }
    if (method === 'POST' && pathname === '/v1/embeddings') return openaiEmbeddings(ctx);
    if (method === 'GET' && pathname.startsWith('/v1/models')) return openaiModels(ctx);
    return openaiError(404, `Invalid URL (${method} ${pathname})`, 'invalid_request_error', null, null, {
      'x-request-id': `req_${ctx.requestId}`,
    });
  },
  statusError: openaiStatusError,
  badRequest: (message, ctx) =>
    openaiError(400, message, 'invalid_request_error', null, null, { 'x-request-id': `req_${ctx.requestId}` }),
  requestIdHeaders: (ctx) => ({ 'x-request-id': `req_${ctx.requestId}` }),
  streamErrorEvent: (ctx) => (ctx.pathname === '/v1/responses' ? openaiResponsesStreamError() : openaiStreamError()),
};
