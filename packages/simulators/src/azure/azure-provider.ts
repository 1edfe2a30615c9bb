// The Azure OpenAI simulator: /openai/deployments/{deployment}/{chat/completions|embeddings}?api-version=…,
// `api-key` or `Authorization: Bearer` (Entra ID), Azure's error bodies, and the content-filter annotations
// (`prompt_filter_results`, `content_filter_results`) on every answer. Bodies are the OpenAI simulator's.
import type { IncomingHttpHeaders } from 'node:http';
import { openaiChat } from '../openai/openai-chat.js';
import { openaiEmbeddings } from '../openai/openai-embeddings.js';
import { bearer, jsonReply, type ProviderImpl, type RequestContext, type StatusFault } from '../provider.js';
import type { JsonReply, Reply } from '../types.js';
import {
  azureError,
  PROMPT_FILTER_RESULTS,
  promptFilteredError,
  SAFE_CONTENT_FILTER_RESULTS,
} from './azure-filters.js';

const ROUTE = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;
const ACCESS_DENIED =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

type Obj = Record<string, unknown>;

const idHeaders = (ctx: RequestContext) => ({
  'apim-request-id': ctx.requestId,
  'x-request-id': ctx.requestId,
  'x-ms-region': 'East US',
});

function azureAuth(headers: IncomingHttpHeaders, apiKey: string | undefined, ctx: RequestContext): JsonReply | null {
  const header = headers['api-key'];
  const key = (typeof header === 'string' ? header : undefined) || bearer(headers);
  if (key && (apiKey === undefined || key === apiKey)) return null;
  return azureError(401, '401', ACCESS_DENIED, idHeaders(ctx));
}

/** Adds Azure's filter annotations to an OpenAI-simulator reply. */
function annotate(reply: Reply): Reply {
  if (reply.kind === 'json') {
    if (reply.status !== 200) return reply;
    const body = JSON.parse(reply.body) as Obj;
    if (Array.isArray(body.choices)) {
      body.prompt_filter_results = PROMPT_FILTER_RESULTS;
      for (const c of body.choices as Obj[]) c.content_filter_results = SAFE_CONTENT_FILTER_RESULTS;
    }
    return { ...reply, body: JSON.stringify(body) };
  }
  const first = `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: PROMPT_FILTER_RESULTS })}\n\n`;
  const events = reply.events.map((e) => {
    if (typeof e !== 'string' || !e.startsWith('data: {')) return e;
    const chunk = JSON.parse(e.slice(6)) as Obj;
    const choices = (chunk.choices ?? []) as Obj[];
    for (const c of choices) {
      const delta = (c.delta ?? {}) as Obj;
      c.content_filter_results =
        typeof delta.content === 'string' && delta.content !== '' ? SAFE_CONTENT_FILTER_RESULTS : {};
    }
    return `data: ${JSON.stringify(chunk)}\n\n`;
  });
  return { ...reply, events: [first, ...events] };
}

function rateLimited(fault: StatusFault, ctx: RequestContext): JsonReply {
  const seconds = fault.retryAfterSeconds ?? Math.max(1, Math.ceil((fault.retryAfterMs ?? 1000) / 1000));
  const version = ctx.query.get('api-version') ?? '';
  return azureError(
    429,
    '429',
    `Requests to the ChatCompletions_Create Operation under Azure OpenAI API version ${version} have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after ${seconds} second${seconds === 1 ? '' : 's'}.`,
    { ...idHeaders(ctx), 'retry-after': String(seconds), 'retry-after-ms': String(seconds * 1000) },
  );
}

export const azureProvider: ProviderImpl = {
  checkAuth: (headers, _query, apiKey, ctx) => azureAuth(headers, apiKey, ctx),
  handle(ctx) {
    const m = ROUTE.exec(ctx.pathname);
    const version = ctx.query.get('api-version');
    if (ctx.method !== 'POST' || !m || !version) return azureError(404, '404', 'Resource not found', idHeaders(ctx));
    if (!API_VERSION.test(version)) return azureError(400, 'BadRequest', 'API version not supported', idHeaders(ctx));
    const deployment = decodeURIComponent(m[1] as string);
    const body = ctx.body as Obj | undefined;
    if (!body) return this.badRequest('We could not parse the JSON body of your request.', ctx);
    // The deployment names the model; `model` in the body is optional and ignored by Azure.
    const withModel: RequestContext = { ...ctx, body: { ...body, model: deployment } };
    return m[2] === 'embeddings' ? openaiEmbeddings(withModel) : annotate(openaiChat(withModel));
  },
  statusError(fault, ctx) {
    const code = fault.code ?? (fault.status === 429 ? 'rate_limit' : undefined);
    if (code === 'content_filter') return promptFilteredError(idHeaders(ctx));
    if (code === 'rate_limit') return rateLimited(fault, ctx);
    if (code === 'context_length') {
      return jsonReply(
        400,
        {
          error: {
            message:
              "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        },
        idHeaders(ctx),
      );
    }
    const status = fault.status ?? (code === 'overloaded' ? 503 : 500);
    const message =
      status === 503 ? 'The service is temporarily unable to process your request.' : 'Internal server error';
    return azureError(status, status === 503 ? 'ServiceUnavailable' : 'InternalServerError', message, idHeaders(ctx));
  },
  badRequest: (message, ctx) =>
    jsonReply(400, { error: { message, type: 'invalid_request_error', param: null, code: null } }, idHeaders(ctx)),
  requestIdHeaders: idHeaders,
  streamErrorEvent: () =>
    `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })}\n\n`,
};
