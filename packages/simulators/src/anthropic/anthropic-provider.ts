// The Anthropic simulator: routes, auth (x-api-key or Bearer, anthropic-version required), errors.
import { jsonReply, type ProviderImpl } from '../provider.js';
import {
  anthropicAuth,
  anthropicError,
  anthropicStatusError,
  anthropicStreamError,
  requestIdOf,
} from './anthropic-errors.js';
import { anthropicMessages } from './anthropic-messages.js';
import { anthropicInputTokens } from './anthropic-usage.js';

export const ANTHROPIC_MODELS = [
  'claude-sonnet-4-5',
  'claude-sonnet-4-6',
  'claude-haiku-4-5',
  'claude-opus-4-5',
] as const;

export const anthropicProvider: ProviderImpl = {
  checkAuth: (headers, _query, apiKey, ctx) => anthropicAuth(headers, apiKey, ctx),
  handle(ctx) {
    if (ctx.method === 'POST' && ctx.pathname === '/v1/messages') return anthropicMessages(ctx);
    if (ctx.method === 'POST' && ctx.pathname === '/v1/messages/count_tokens') {
      const body = ctx.body as { messages?: unknown } | undefined;
      if (!body || !Array.isArray(body.messages)) return anthropicError(400, 'messages: Field required', ctx);
      // The same count a /v1/messages call with this body reports as input.
      return jsonReply(200, { input_tokens: anthropicInputTokens(body) }, { 'request-id': requestIdOf(ctx) });
    }
    if (ctx.method === 'GET' && ctx.pathname === '/v1/models') {
      const data = ANTHROPIC_MODELS.map((id) => ({
        type: 'model',
        id,
        display_name: id,
        created_at: '2025-09-29T00:00:00Z',
      }));
      return jsonReply(
        200,
        { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null },
        { 'request-id': requestIdOf(ctx) },
      );
    }
    return anthropicError(404, `Not found: ${ctx.method} ${ctx.pathname}`, ctx);
  },
  statusError: anthropicStatusError,
  badRequest: (message, ctx) => anthropicError(400, message, ctx),
  requestIdHeaders: (ctx) => ({ 'request-id': requestIdOf(ctx) }),
  streamErrorEvent: anthropicStreamError,
};
